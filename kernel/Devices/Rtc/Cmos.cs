// The NVRAM bytes a PC BIOS leaves in CMOS (IBM PC/AT Technical Reference, "CMOS RAM
// Configuration"; the memory-size bytes 0x34/0x35 and 0x5B-0x5D are the convention SeaBIOS and
// OVMF read on QEMU, and that older Linux/bootloader code may look at). Nothing in a directly
// booted Linux depends on them; they are here so that a guest reading CMOS sees a sane machine:
// no floppy, no legacy hard disk, a coprocessor, 640 KiB base memory, a valid checksum.
namespace Hv.Devices.Rtc
{
    public sealed partial class Mc146818Rtc
    {
        private const ulong KiB = 1024, MiB = 1024 * 1024;
        private const ulong Unit64K = 64 * KiB;
        /// <summary>Equipment byte: no floppy drives (bit 0 = 0), math coprocessor (bit 1), EGA/VGA display (bits 5:4 = 00).</summary>
        public const byte DefaultEquipment = 0x02;
        private const int BaseMemoryKiB = 640;
        private const int ChecksumFirst = 0x10, ChecksumLast = 0x2D;

        /// <summary>Fills the memory-size bytes (the lead calls this once the VM's RAM layout is known).</summary>
        /// <param name="ramBelow4G">Bytes of RAM below 4 GiB, counted from 0.</param>
        /// <param name="ramAbove4G">Bytes of RAM from 4 GiB up.</param>
        public void SetMemorySize(ulong ramBelow4G, ulong ramAbove4G)
        {
            ulong extendedKiB = ramBelow4G > MiB ? (ramBelow4G - MiB) / KiB : 0;
            Put16(CmosIndex.ExtendedMemoryLow, extendedKiB);
            Put16(CmosIndex.ExtendedMemoryPostLow, extendedKiB);
            Put16(CmosIndex.MemoryAbove16MLow, ramBelow4G > 16 * MiB ? (ramBelow4G - 16 * MiB) / Unit64K : 0);
            ulong high = ramAbove4G / Unit64K;
            if (high > 0xFFFFFF)
                high = 0xFFFFFF;
            _cmos[(int)CmosIndex.MemoryAbove4G] = (byte)high;
            _cmos[(int)CmosIndex.MemoryAbove4G + 1] = (byte)(high >> 8);
            _cmos[(int)CmosIndex.MemoryAbove4G + 2] = (byte)(high >> 16);
            UpdateChecksum();
        }

        /// <summary>Sets an NVRAM byte (0x0E-0x7F, not the century, which the clock owns). False outside that range.</summary>
        public bool WriteNvram(int index, byte value)
        {
            if (index < (int)CmosIndex.NvramFirst || index > (int)CmosIndex.Last || index == (int)CmosIndex.Century)
                return false;
            _cmos[index] = value;
            if (index >= ChecksumFirst && index <= ChecksumLast)
                UpdateChecksum();
            return true;
        }

        /// <summary>A CMOS byte as the guest would read it (without clearing register C); 0xFF outside 0-0x7F.</summary>
        public byte PeekCmos(int index)
        {
            if (index < 0 || index > (int)CmosIndex.Last)
                return 0xFF;
            ulong now = Now();
            if (index == (int)CmosIndex.RegisterC)
                return (byte)(_flags | (_irqLine ? (int)RtcRegisterC.Irq : 0));
            if (index == (int)CmosIndex.RegisterD || index == (int)CmosIndex.RegisterA)
                return ReadRegister(index, now);
            if (IsTimeRegister(index))
                RefreshTimeRegisters(now);
            return _cmos[index];
        }

        private void InitNvram()
        {
            _cmos[(int)CmosIndex.Equipment] = DefaultEquipment;
            Put16(CmosIndex.BaseMemoryLow, BaseMemoryKiB);
            UpdateChecksum();
        }

        private void Put16(CmosIndex index, ulong value)
        {
            if (value > 0xFFFF)
                value = 0xFFFF;
            _cmos[(int)index] = (byte)value;
            _cmos[(int)index + 1] = (byte)(value >> 8);
        }

        private void UpdateChecksum()
        {
            int sum = 0;
            for (int i = ChecksumFirst; i <= ChecksumLast; i++)
                sum += _cmos[i];
            _cmos[(int)CmosIndex.ChecksumHigh] = (byte)(sum >> 8);
            _cmos[(int)CmosIndex.ChecksumLow] = (byte)sum;
        }
    }
}
