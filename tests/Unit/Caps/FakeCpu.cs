using System.Collections.Generic;
using Hv.Virt.Caps;
using Xunit;

namespace Hv.Tests.Unit.Caps
{
    /// <summary>
    /// A table-driven ICpuInfoSource. It plays a CPU that faults on absent MSRs and answers
    /// out-of-range CPUID leaves with garbage: both are recorded in Violations, and every test
    /// asserts the decoder caused none (the hardware side may then execute RDMSR blindly).
    /// </summary>
    internal sealed class FakeCpu : ICpuInfoSource
    {
        private readonly Dictionary<ulong, uint[]> _leaves = new Dictionary<ulong, uint[]>();
        private readonly Dictionary<uint, ulong> _msrs = new Dictionary<uint, ulong>();
        private uint _maxBasic;
        private uint _maxExtended;

        public readonly List<string> Violations = new List<string>();
        public readonly List<uint> MsrReads = new List<uint>();

        /// <summary>Leaf 0: vendor string in EBX, EDX, ECX order and the highest basic leaf.</summary>
        public FakeCpu Vendor(string vendor, uint maxBasic)
        {
            _maxBasic = maxBasic;
            return Leaf(0, maxBasic, Dword(vendor, 0), Dword(vendor, 8), Dword(vendor, 4));
        }

        /// <summary>Leaf 0x80000000: the highest extended leaf.</summary>
        public FakeCpu MaxExtended(uint maxExtended)
        {
            _maxExtended = maxExtended;
            return Leaf(0x8000_0000, maxExtended, 0, 0, 0);
        }

        /// <summary>Leaves 0x80000002-4: the brand string, NUL-padded to 48 bytes.</summary>
        public FakeCpu Brand(string brand)
        {
            string padded = brand.PadRight(48, '\0');
            for (int i = 0; i < 3; i++)
            {
                int at = i * 16;
                Leaf(0x8000_0002u + (uint)i, Dword(padded, at), Dword(padded, at + 4), Dword(padded, at + 8), Dword(padded, at + 12));
            }
            return this;
        }

        public FakeCpu Leaf(uint leaf, uint eax, uint ebx, uint ecx, uint edx)
        {
            _leaves[(ulong)leaf << 32] = new[] { eax, ebx, ecx, edx };
            return this;
        }

        public FakeCpu Msr(CapabilityMsr msr, ulong value)
        {
            _msrs[(uint)msr] = value;
            return this;
        }

        public FakeCpu WithoutMsr(CapabilityMsr msr)
        {
            _msrs.Remove((uint)msr);
            return this;
        }

        /// <summary>Probes through this fake and asserts the decoder stayed within what exists.</summary>
        public CpuCapabilities ProbeChecked()
        {
            CpuCapabilities caps = CpuCapabilities.Probe(this);
            Assert.Empty(Violations);
            return caps;
        }

        public void Cpuid(uint leaf, uint subleaf, out uint eax, out uint ebx, out uint ecx, out uint edx)
        {
            bool extended = leaf >= 0x8000_0000;
            if ((!extended && leaf > _maxBasic) || (extended && leaf != 0x8000_0000 && leaf > _maxExtended))
                Violations.Add("cpuid " + leaf.ToString("x"));
            uint[] regs = _leaves.TryGetValue(((ulong)leaf << 32) | subleaf, out uint[] r) ? r : new uint[4];
            eax = regs[0];
            ebx = regs[1];
            ecx = regs[2];
            edx = regs[3];
        }

        public bool TryReadMsr(uint msr, out ulong value)
        {
            MsrReads.Add(msr);
            if (_msrs.TryGetValue(msr, out value))
                return true;
            Violations.Add("rdmsr " + msr.ToString("x"));
            return false;
        }

        private static uint Dword(string s, int at)
        {
            uint v = 0;
            for (int i = 0; i < 4; i++)
                v |= (uint)(byte)s[at + i] << (8 * i);
            return v;
        }
    }
}
