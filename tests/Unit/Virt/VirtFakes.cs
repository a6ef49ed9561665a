using System;
using Hv.Devices;
using Hv.Virt;
using Hv.Virt.Caps;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>A vCPU's guest state in plain fields. Records injections and window requests without allocating.</summary>
    internal sealed class FakeVcpu : IVcpuState
    {
        private readonly ulong[] _regs = new ulong[64];

        public int Cpl { get; set; }
        public bool LongMode { get; set; }
        /// <summary>Set to force; 0 (default): 64 in long mode, else 32 with CR0.PE, 16 without.</summary>
        public int Bitness;
        public int CodeBitness => Bitness != 0 ? Bitness : LongMode ? 64
            : (_regs[(int)GuestRegister.Cr0] & (ulong)Cr0Bits.ProtectionEnable) != 0 ? 32 : 16;
        public bool InterruptShadow;
        public bool WindowRequested;
        public int WindowRequests;

        public bool EventPending;
        public EventType LastType;
        public byte LastVector;
        public bool LastHasErrorCode;
        public uint LastErrorCode;
        public int Injections;

        public ulong Get(GuestRegister r) => _regs[(int)r];
        public void Set(GuestRegister r, ulong value) => _regs[(int)r] = value;
        public ulong this[GuestRegister r] { get => _regs[(int)r]; set => _regs[(int)r] = value; }

        public void AdvanceRip(int length)
        {
            _regs[(int)GuestRegister.Rip] += (ulong)length;
            InterruptShadow = false;
        }

        public bool Inject(EventType type, byte vector, bool hasErrorCode, uint errorCode)
        {
            if (EventPending)
                return false;
            EventPending = true;
            LastType = type;
            LastVector = vector;
            LastHasErrorCode = hasErrorCode;
            LastErrorCode = errorCode;
            Injections++;
            return true;
        }

        /// <summary>What a VM entry does with the queued event: the guest took it.</summary>
        public void Deliver() => EventPending = false;

        public bool CanInjectInterrupt() =>
            (_regs[(int)GuestRegister.Rflags] & (ulong)RflagsBits.InterruptEnable) != 0 && !InterruptShadow && !EventPending;

        public void RequestInterruptWindow(bool enable)
        {
            WindowRequested = enable;
            WindowRequests++;
        }

        public FakeVcpu InterruptsOn()
        {
            _regs[(int)GuestRegister.Rflags] |= (ulong)RflagsBits.InterruptEnable;
            return this;
        }
    }

    /// <summary>Host-physical memory [Base, Base + Length) backed by an array; anything else is "not backed".</summary>
    internal sealed class FakeHostRam : IHostPhysicalMemory
    {
        public readonly ulong Base;
        public readonly byte[] Bytes;

        public FakeHostRam(ulong hostBase, int length)
        {
            Base = hostBase;
            Bytes = new byte[length];
        }

        public int Reads, Writes;

        public bool Read(ulong hostPhysical, Span<byte> destination)
        {
            if (!Inside(hostPhysical, destination.Length, out int at))
                return false;
            new ReadOnlySpan<byte>(Bytes, at, destination.Length).CopyTo(destination);
            Reads++;
            return true;
        }

        public bool Write(ulong hostPhysical, ReadOnlySpan<byte> source)
        {
            if (!Inside(hostPhysical, source.Length, out int at))
                return false;
            source.CopyTo(new Span<byte>(Bytes, at, source.Length));
            Writes++;
            return true;
        }

        private bool Inside(ulong address, int length, out int at)
        {
            at = 0;
            if (address < Base || address - Base + (ulong)length > (ulong)Bytes.Length)
                return false;
            at = (int)(address - Base);
            return true;
        }
    }

    /// <summary>Host CPUID from arrays (no allocation on lookup). Subleaf matters only for leaves added with one.</summary>
    internal sealed class FakeHostCpuid : ICpuInfoSource
    {
        private readonly uint[] _leaf = new uint[64];
        private readonly uint[] _subleaf = new uint[64];
        private readonly bool[] _bySubleaf = new bool[64];
        private readonly uint[][] _regs = new uint[64][];
        private int _count;
        public int Calls;

        public FakeHostCpuid Leaf(uint leaf, uint eax, uint ebx, uint ecx, uint edx) => Add(leaf, 0, false, eax, ebx, ecx, edx);

        public FakeHostCpuid Sub(uint leaf, uint subleaf, uint eax, uint ebx, uint ecx, uint edx) => Add(leaf, subleaf, true, eax, ebx, ecx, edx);

        private FakeHostCpuid Add(uint leaf, uint subleaf, bool bySub, uint eax, uint ebx, uint ecx, uint edx)
        {
            _leaf[_count] = leaf;
            _subleaf[_count] = subleaf;
            _bySubleaf[_count] = bySub;
            _regs[_count++] = new[] { eax, ebx, ecx, edx };
            return this;
        }

        public void Cpuid(uint leaf, uint subleaf, out uint eax, out uint ebx, out uint ecx, out uint edx)
        {
            Calls++;
            eax = ebx = ecx = edx = 0;
            for (int i = 0; i < _count; i++)
                if (_leaf[i] == leaf && (!_bySubleaf[i] || _subleaf[i] == subleaf))
                {
                    eax = _regs[i][0]; ebx = _regs[i][1]; ecx = _regs[i][2]; edx = _regs[i][3];
                    return;
                }
        }

        public bool TryReadMsr(uint msr, out ulong value)
        {
            value = 0;
            return false;
        }
    }

    /// <summary>A device that remembers the last access and answers reads with a fixed pattern. No allocation.</summary>
    internal sealed class RecordingDevice : IIoDevice
    {
        public byte Fill = 0x5A;
        public ulong LastOffset = ulong.MaxValue;
        public int LastLength;
        public ulong LastWritten;
        public int Reads, Writes;

        public void Read(ulong offset, Span<byte> data)
        {
            LastOffset = offset;
            LastLength = data.Length;
            for (int i = 0; i < data.Length; i++)
                data[i] = (byte)(Fill + i);
            Reads++;
        }

        public void Write(ulong offset, ReadOnlySpan<byte> data)
        {
            LastOffset = offset;
            LastLength = data.Length;
            LastWritten = Hv.Virt.Bytes.Load(data);
            Writes++;
        }
    }
}
