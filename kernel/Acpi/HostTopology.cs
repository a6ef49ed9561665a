// What the kernel needs from the host's ACPI tables at start-up: the CPUs to start (enabled local
// APIC / x2APIC entries of the MADT, ACPI 6.5 §5.2.12), the IOAPICs to mask, the PM timer to
// calibrate against (FADT §5.2.9) and the HPET base. Missing or broken tables leave fields empty;
// the caller falls back (CPUID probing, PIT).
namespace Hv.Acpi
{
    public sealed class HostTopology
    {
        public const int MaxCpus = 256;
        public const int MaxIoApics = 16;

        public readonly uint[] ApicIds = new uint[MaxCpus];
        public int CpuCount;
        public readonly uint[] IoApicAddress = new uint[MaxIoApics];
        public readonly uint[] IoApicGsiBase = new uint[MaxIoApics];
        public int IoApicCount;
        public ushort PmTimerPort;      // 0: none (or not in I/O space)
        public bool PmTimer32Bit;
        public ulong HpetAddress;
        public bool HasMadt;
        public string Problem;          // first parse problem, for the log; null if none

        public static HostTopology Read(IPhysicalMemory memory, ulong rsdp)
        {
            var t = new HostTopology();
            if (rsdp == 0) return t;
            AcpiTables tables = AcpiTables.Discover(memory, rsdp);
            if (!tables.Error.Ok) { t.Problem = tables.Error.Message; return t; }
            t.ReadMadt(tables);
            t.ReadFadt(tables);
            t.ReadHpet(tables);
            return t;
        }

        private void ReadMadt(AcpiTables tables)
        {
            if (!tables.Load(AcpiSignature.Madt, out byte[] bytes).Ok) return;
            AcpiError e = Madt.TryParse(bytes, out Madt madt);
            if (!e.Ok) { Note(e); return; }
            HasMadt = true;
            MadtReader r = madt.Entries();
            while (r.Next(out MadtEntry entry))
            {
                if (entry.Type == MadtEntryType.LocalApic)
                {
                    MadtLocalApic l = entry.LocalApic();
                    if ((l.Flags & LocalApicFlags.Enabled) != 0) AddCpu(l.ApicId);
                }
                else if (entry.Type == MadtEntryType.LocalX2Apic)
                {
                    MadtLocalX2Apic x = entry.LocalX2Apic();
                    if ((x.Flags & LocalApicFlags.Enabled) != 0) AddCpu(x.X2ApicId);
                }
                else if (entry.Type == MadtEntryType.IoApic && IoApicCount < MaxIoApics)
                {
                    MadtIoApic io = entry.IoApic();
                    IoApicAddress[IoApicCount] = io.Address;
                    IoApicGsiBase[IoApicCount] = io.GsiBase;
                    IoApicCount++;
                }
            }
            if (!r.Error.Ok) Note(r.Error);
        }

        private void AddCpu(uint apicId)
        {
            for (int i = 0; i < CpuCount; i++) if (ApicIds[i] == apicId) return; // listed twice (xAPIC and x2APIC)
            if (CpuCount < MaxCpus) ApicIds[CpuCount++] = apicId;
        }

        private void ReadFadt(AcpiTables tables)
        {
            if (!tables.Load(AcpiSignature.Fadt, out byte[] bytes).Ok) return;
            AcpiError e = Fadt.TryParse(bytes, out Fadt f);
            if (!e.Ok) { Note(e); return; }
            if (f.HasPmTimer && f.PmTimer.Space == AddressSpace.SystemIo && f.PmTimer.Address != 0 && f.PmTimer.Address <= 0xFFFF)
            {
                PmTimerPort = (ushort)f.PmTimer.Address;
                PmTimer32Bit = f.PmTimerBits == 32;
            }
        }

        private void ReadHpet(AcpiTables tables)
        {
            if (!tables.Load(AcpiSignature.Hpet, out byte[] bytes).Ok) return;
            AcpiError e = Hpet.TryParse(bytes, out Hpet h);
            if (!e.Ok) { Note(e); return; }
            HpetAddress = h.BaseAddress.Address;
        }

        private void Note(AcpiError e)
        {
            if (Problem == null) Problem = e.Message;
        }
    }
}
