// The Firmware ACPI Control Structure (ACPI 6.5 §5.2.10, Table 5.13). A platform that is not
// hardware-reduced must have one (§5.2.9: FIRMWARE_CTRL may be 0 only with HW_REDUCED_ACPI);
// the OS keeps the global lock and the waking vector in it. There is no firmware to share the
// lock with and no S3 resume, so everything but the identification is zero.
using System;
using Hv.Acpi;

namespace Hv.Virt.Platform.Acpi
{
    internal static class GuestFacs
    {
        public const int Length = 64;
        /// <summary>The FACS must be 64-byte aligned (§5.2.10).</summary>
        public const int Alignment = 64;
        /// <summary>FACS version 2 (ACPI 6.5 Table 5.13).</summary>
        public const byte Version = 2;

        public static void Write(Span<byte> facs)
        {
            facs.Slice(0, Length).Clear();
            TableBytes.Put32(facs, 0, AcpiSignature.Facs);
            TableBytes.Put32(facs, 4, Length);
            // 8 hardware signature, 12 waking vector, 16 global lock, 20 flags, 24 X waking vector: 0.
            facs[32] = Version;
            // 36 OSPM flags, 40..63 reserved: 0. The FACS has no checksum.
        }
    }
}
