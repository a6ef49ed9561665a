// The MCFG (PCI Firmware Specification 3.3 §4.1.2, Table 4-3): one ECAM allocation.
using System;
using Hv.Acpi;

namespace Hv.Virt.Platform.Acpi
{
    internal static class GuestMcfg
    {
        public const int Length = Mcfg.EntriesOffset + McfgSegment.Size;   // 60
        public const byte Revision = 1;

        /// <summary>Header, 8 reserved bytes, then the entry: base (of bus 0), segment 0, start and end bus.</summary>
        public static void Write(Span<byte> mcfg, in GuestAcpiConfig cfg)
        {
            mcfg.Slice(0, Length).Clear();
            TableBytes.Header(mcfg.Slice(0, Length), AcpiSignature.Mcfg, Revision);
            int o = Mcfg.EntriesOffset;
            TableBytes.Put64(mcfg, o, cfg.EcamBase);
            TableBytes.Put16(mcfg, o + 8, 0);
            mcfg[o + 10] = cfg.EcamStartBus;
            mcfg[o + 11] = cfg.EcamEndBus;
            TableBytes.Checksum(mcfg.Slice(0, Length), 9);
        }
    }
}
