// The MADT, signature "APIC" (ACPI 6.5 §5.2.12): the local APICs of the vCPUs, the IOAPIC, the
// ISA interrupt overrides and the LINT1 NMI.
using System;
using Hv.Acpi;

namespace Hv.Virt.Platform.Acpi
{
    internal static class GuestMadt
    {
        /// <summary>MADT revision of ACPI 6.5.</summary>
        public const byte Revision = 6;
        /// <summary>Two Interrupt Source Overrides: the PIT (IRQ 0 -> GSI 2) and the SCI.</summary>
        public const int OverrideCount = 2;

        public static int Length(int vcpus) =>
            Madt.EntriesOffset + vcpus * MadtLocalApic.Length + MadtIoApic.Length
            + OverrideCount * MadtInterruptOverride.Length + MadtLocalApicNmi.Length;

        /// <summary>
        /// Header, the local APIC address and PCAT_COMPAT (the guest also has the 8259 pair, which
        /// an OS must mask to use the APICs: §5.2.12, Table 5.20), then:
        /// one Processor Local APIC per vCPU (UID = APIC ID = index, Enabled; §5.2.12.2);
        /// the IOAPIC with GSI base 0 (§5.2.12.3);
        /// IRQ 0 -> GSI 2, edge, active-high: the PIT is wired to IOAPIC input 2 as on every PC
        /// with an IOAPIC (input 0 is the 8259's INTR) (§5.2.12.5);
        /// IRQ SCI -> GSI SCI, level, active-high: the SCI is a level interrupt (§5.2.12.5 says
        /// to describe it with an override when it is not the ISA default of edge/high);
        /// LINT1 of every processor is NMI, edge, active-high (§5.2.12.7), the PC wiring.
        /// </summary>
        public static void Write(Span<byte> madt, in GuestAcpiConfig cfg)
        {
            int length = Length(cfg.VcpuCount);
            Span<byte> t = madt.Slice(0, length);
            t.Clear();
            TableBytes.Header(t, AcpiSignature.Madt, Revision);
            TableBytes.Put32(t, 36, cfg.LocalApicAddress);
            TableBytes.Put32(t, 40, (uint)MadtFlags.PcAtCompat);

            int o = Madt.EntriesOffset;
            for (int i = 0; i < cfg.VcpuCount; i++)
            {
                t[o] = (byte)MadtEntryType.LocalApic;
                t[o + 1] = MadtLocalApic.Length;
                t[o + 2] = (byte)i;     // ACPI processor UID
                t[o + 3] = (byte)i;     // APIC ID
                TableBytes.Put32(t, o + 4, (uint)LocalApicFlags.Enabled);
                o += MadtLocalApic.Length;
            }

            t[o] = (byte)MadtEntryType.IoApic;
            t[o + 1] = MadtIoApic.Length;
            t[o + 2] = cfg.IoApicId;
            t[o + 3] = 0;
            TableBytes.Put32(t, o + 4, cfg.IoApicAddress);
            TableBytes.Put32(t, o + 8, 0);     // GSI base
            o += MadtIoApic.Length;

            o = Override(t, o, GuestPlatformLayout.PitIrq, GuestPlatformLayout.PitGsi,
                TableBytes.IntiFlags(InterruptPolarity.ActiveHigh, InterruptTrigger.Edge));
            o = Override(t, o, cfg.SciIrq, cfg.SciIrq,
                TableBytes.IntiFlags(InterruptPolarity.ActiveHigh, InterruptTrigger.Level));

            t[o] = (byte)MadtEntryType.LocalApicNmi;
            t[o + 1] = MadtLocalApicNmi.Length;
            t[o + 2] = MadtLocalApicNmi.AllProcessors;
            TableBytes.Put16(t, o + 3, TableBytes.IntiFlags(InterruptPolarity.ActiveHigh, InterruptTrigger.Edge));
            t[o + 5] = 1;   // LINT1

            TableBytes.Checksum(t, 9);
        }

        private static int Override(Span<byte> t, int o, byte isaIrq, uint gsi, ushort flags)
        {
            t[o] = (byte)MadtEntryType.InterruptSourceOverride;
            t[o + 1] = MadtInterruptOverride.Length;
            t[o + 2] = 0;   // bus: ISA
            t[o + 3] = isaIrq;
            TableBytes.Put32(t, o + 4, gsi);
            TableBytes.Put16(t, o + 8, flags);
            return o + MadtInterruptOverride.Length;
        }
    }
}
