using System;

namespace Hv.Acpi
{
    /// <summary>DMAR remapping structure types (Intel VT-d 4.1 §8.2, Table 8-2).</summary>
    public enum DmarStructureType : ushort
    {
        /// <summary>DMA Remapping Hardware Unit Definition (§8.3).</summary>
        Drhd = 0,
        /// <summary>Reserved Memory Region Reporting (§8.4).</summary>
        Rmrr = 1,
        /// <summary>Root Port ATS Capability Reporting (§8.5).</summary>
        Atsr = 2,
        /// <summary>Remapping Hardware Static Affinity (§8.6).</summary>
        Rhsa = 3,
        /// <summary>ACPI Name-space Device Declaration (§8.7).</summary>
        Andd = 4,
        /// <summary>SoC Integrated Address Translation Cache (§8.8).</summary>
        Satc = 5,
        /// <summary>SoC Integrated Device Property (§8.9).</summary>
        Sidp = 6,
    }

    /// <summary>DMAR table Flags (VT-d 4.1 §8.1, Table 8-1).</summary>
    [Flags]
    public enum DmarFlags : byte
    {
        None = 0,
        InterruptRemapping = 1 << 0,
        X2ApicOptOut = 1 << 1,
        DmaControlPlatformOptIn = 1 << 2,
    }

    /// <summary>DRHD Flags (VT-d 4.1 §8.3).</summary>
    [Flags]
    public enum DrhdFlags : byte
    {
        None = 0,
        /// <summary>The unit covers every PCI device of its segment not claimed by another DRHD's scope.</summary>
        IncludePciAll = 1 << 0,
    }

    /// <summary>ATSR Flags (VT-d 4.1 §8.5).</summary>
    [Flags]
    public enum AtsrFlags : byte
    {
        None = 0,
        /// <summary>Every root port of the segment supports ATS transactions.</summary>
        AllPorts = 1 << 0,
    }

    /// <summary>Device Scope entry types (VT-d 4.1 §8.3.1, Table 8-4).</summary>
    public enum DeviceScopeType : byte
    {
        PciEndpoint = 1,
        PciSubHierarchy = 2,
        IoApic = 3,
        MsiCapableHpet = 4,
        AcpiNamespaceDevice = 5,
    }

    /// <summary>DRHD, type 0, 16 + scopes (VT-d 4.1 §8.3): 4 Flags, 5 Size, 6 Segment, 8 Register Base (u64).</summary>
    public struct DmarDrhd
    {
        public const int HeaderLength = 16;
        public DrhdFlags Flags;
        /// <summary>VT-d 3.x+: the register set is 2^Size 4 KiB pages (0 on older firmware: one page).</summary>
        public byte Size;
        public ushort Segment;
        public ulong RegisterBase;

        public bool IncludePciAll => (Flags & DrhdFlags.IncludePciAll) != 0;
        public ulong RegisterBytes => 4096UL << (Size > 20 ? 20 : Size);
    }

    /// <summary>RMRR, type 1, 24 + scopes (VT-d 4.1 §8.4): 6 Segment, 8 Base (u64), 16 Limit (u64, inclusive).</summary>
    public struct DmarRmrr
    {
        public const int HeaderLength = 24;
        public ushort Segment;
        public ulong Base;
        public ulong Limit;
    }

    /// <summary>ATSR, type 2, 8 + scopes (VT-d 4.1 §8.5): 4 Flags, 6 Segment.</summary>
    public struct DmarAtsr
    {
        public const int HeaderLength = 8;
        public AtsrFlags Flags;
        public ushort Segment;
    }

    /// <summary>RHSA, type 3, 20 bytes (VT-d 4.1 §8.6): 8 Register Base (u64), 16 Proximity Domain (u32).</summary>
    public struct DmarRhsa
    {
        public const int Length = 20;
        public ulong RegisterBase;
        public uint ProximityDomain;
    }

    /// <summary>
    /// One Device Scope entry (VT-d 4.1 §8.3.1, Table 8-3):
    /// 0 Type, 1 Length (6 + 2N), 2 Flags, 3 Reserved, 4 Enumeration ID, 5 Start Bus, 6 Path[N] of (Device, Function).
    /// </summary>
    public readonly ref struct DeviceScope
    {
        public const int HeaderLength = 6;

        private readonly ReadOnlySpan<byte> _b;
        public readonly DeviceScopeType Type;
        public readonly int Offset;

        internal DeviceScope(Subtable s)
        {
            _b = s.Bytes;
            Type = (DeviceScopeType)s.Type;
            Offset = s.Offset;
        }

        public byte Flags => _b[2];
        /// <summary>IOAPIC ID, HPET number or ACPI device number, for those scope types.</summary>
        public byte EnumerationId => _b[4];
        public byte StartBus => _b[5];
        public int PathCount => (_b.Length - HeaderLength) / 2;
        public byte PathDevice(int index) => (uint)index < (uint)PathCount ? _b[HeaderLength + 2 * index] : (byte)0;
        public byte PathFunction(int index) => (uint)index < (uint)PathCount ? _b[HeaderLength + 2 * index + 1] : (byte)0;
    }
}
