// What the CPUID and MSR policies need to know about the host, read once when a VM is created so
// that the exit path only does arithmetic: leaf limits, vendor family, physical-address width, and
// the XSAVE layout (component sizes/offsets, SDM Vol. 1 §13.2) for the components guests may enable.
using Hv.Virt.Caps;

namespace Hv.Virt
{
    public sealed class CpuidProfile
    {
        /// <summary>Highest XSAVE component index the profile records (18 = AMX tile data).</summary>
        public const int XsaveComponents = 19;
        /// <summary>Legacy region (512) + XSAVE header (64): the smallest XSAVE area (SDM Vol. 1 §13.4).</summary>
        public const uint XsaveBaseSize = 576;

        private readonly uint[] _size = new uint[XsaveComponents];
        private readonly uint[] _offset = new uint[XsaveComponents];
        private readonly bool[] _aligned = new bool[XsaveComponents];

        /// <summary>
        /// The host TSC rate (Hz), measured once at boot by the kernel (0 in host tests and before). All
        /// guests see the host TSC (plus an offset), so leaves 0x15/0x16 report this rate instead of the
        /// host CPU's nominal values, which need not match the TSC (an emulator's TSC runs at its own rate).
        /// </summary>
        public static ulong HostTscHz;

        /// <summary>The TSC rate this VM's leaves 0x15/0x16 report: HostTscHz when the profile was read (0: the host's leaves).</summary>
        public ulong TscHz { get; set; }

        public uint HostMaxBasic { get; private set; }
        public uint HostMaxExtended { get; private set; }
        /// <summary>AMD or Hygon: topology also goes to 0x80000008 ECX and 0x80000001 ECX.CmpLegacy.</summary>
        public bool AmdLike { get; private set; }
        /// <summary>MAXPHYADDR (CPUID.80000008H:EAX[7:0]; 36 when the leaf is absent, SDM Vol. 3A §4.1.4).</summary>
        public int PhysicalAddressBits { get; private set; } = 36;
        public bool HostHasNx { get; private set; }
        /// <summary>XCR0 bits a guest may set: the host's XSAVE-supported components within Xcr0Bits.Allowed.</summary>
        public ulong GuestXcr0Mask { get; private set; }

        public uint GuestMaxBasic => HostMaxBasic < CpuidPolicy.MaxBasicLeaf ? HostMaxBasic : CpuidPolicy.MaxBasicLeaf;
        public uint GuestMaxExtended =>
            HostMaxExtended < CpuidPolicy.MaxExtendedLeaf ? HostMaxExtended : CpuidPolicy.MaxExtendedLeaf;

        /// <summary>Reads the host through <paramref name="cpu"/>, only leaves the host reports (configuration time).</summary>
        public static CpuidProfile FromHost(ICpuInfoSource cpu)
        {
            var p = new CpuidProfile();
            p.TscHz = HostTscHz;
            CpuIdentity id = CpuIdentity.Read(cpu);
            p.HostMaxBasic = id.MaxBasicLeaf;
            p.HostMaxExtended = id.MaxExtendedLeaf;
            p.AmdLike = id.IsAmdLike;
            p.HostHasNx = id.HasNx;
            if (id.MaxExtendedLeaf >= 0x8000_0008)
            {
                cpu.Cpuid(0x8000_0008, 0, out uint eax, out _, out _, out _);
                uint bits = eax & 0xFF;
                if (bits >= 32 && bits <= 52)           // anything else is not a real CPU: keep the default
                    p.PhysicalAddressBits = (int)bits;
            }
            bool xsave = ((uint)id.Leaf1Ecx & (uint)Cpuid01Ecx.Xsave) != 0;
            if (xsave && id.MaxBasicLeaf >= 0xD)
            {
                cpu.Cpuid(0xD, 0, out uint lo, out _, out _, out uint hi);
                p.GuestXcr0Mask = (((ulong)hi << 32) | lo) & (ulong)Xcr0Bits.Allowed;
                for (int i = 2; i < XsaveComponents; i++)
                {
                    if ((p.GuestXcr0Mask & (1UL << i)) == 0)
                        continue;
                    cpu.Cpuid(0xD, (uint)i, out uint size, out uint offset, out uint flags, out _);
                    p._size[i] = size;
                    p._offset[i] = offset;
                    p._aligned[i] = (flags & 2) != 0;
                }
            }
            return p;
        }

        /// <summary>Size of a standard-format XSAVE area holding the components in <paramref name="xcr0"/> (CPUID.0DH.0:EBX/ECX).</summary>
        public uint XsaveSize(ulong xcr0)
        {
            uint size = XsaveBaseSize;
            for (int i = 2; i < XsaveComponents; i++)
                if ((xcr0 & GuestXcr0Mask & (1UL << i)) != 0 && _offset[i] + _size[i] > size)
                    size = _offset[i] + _size[i];
            return size;
        }

        /// <summary>Size of a compacted-format area (XSAVEC) for <paramref name="xcr0"/> (CPUID.0DH.1:EBX, SDM Vol. 1 §13.4.3).</summary>
        public uint XsaveCompactedSize(ulong xcr0)
        {
            uint size = XsaveBaseSize;
            for (int i = 2; i < XsaveComponents; i++)
            {
                if ((xcr0 & GuestXcr0Mask & (1UL << i)) == 0)
                    continue;
                if (_aligned[i])
                    size = (size + 63) & ~63u;
                size += _size[i];
            }
            return size;
        }

        /// <summary>CPUID.0DH.i (i >= 2) of the host for an allowed component: size, offset, alignment flag.</summary>
        public void XsaveComponent(int i, out uint size, out uint offset, out bool aligned)
        {
            bool known = i >= 2 && i < XsaveComponents && (GuestXcr0Mask & (1UL << i)) != 0;
            size = known ? _size[i] : 0;
            offset = known ? _offset[i] : 0;
            aligned = known && _aligned[i];
        }
    }
}
