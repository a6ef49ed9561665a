using System;
using Hv.Devices.Acpi;
using Hv.Devices.Pci;
using Hv.Tests.Unit.Devices.AcpiModel;
using Xunit;
using static Hv.Tests.Unit.Devices.Fakes.Port;

namespace Hv.Tests.Unit.Devices.PciModel
{
    /// <summary>The PCI host bridge: mechanism #1 ports, ECAM, the function registry, BAR sizing.</summary>
    public class PciTests
    {
        private const ulong Address = 0, Data = 4;
        private readonly PciRootBus _bus = new PciRootBus();
        private readonly PowerLog _power = new PowerLog();
        private readonly PciConfigPorts _ports;
        private readonly PciEcam _ecam;

        public PciTests()
        {
            Assert.True(_bus.TryAdd(0, 0, 0, new PciHostBridge(), out _));
            _ports = new PciConfigPorts(_bus, new ResetControlRegister(_power));
            _ecam = new PciEcam(_bus);
        }

        private static uint Cf8(int bus, int dev, int fn, int reg) => 0x8000_0000u | (uint)(bus << 16 | dev << 11 | fn << 8 | reg & 0xFC);

        private uint ConfigRead32(int bus, int dev, int fn, int reg)
        {
            Out32(_ports, Address, Cf8(bus, dev, fn, reg));
            return In32(_ports, Data);
        }

        private static ulong Ecam(int bus, int dev, int fn, int reg) => (ulong)(bus << 20 | dev << 15 | fn << 12 | reg);

        [Fact]
        public void Layout_EcamCoversBusZero_AtTheMcfgBase()
        {
            Assert.Equal(0xB000_0000ul, PciLayout.EcamBase);
            Assert.Equal(1ul << 20, PciLayout.EcamSize);
            Assert.Equal(0ul, PciLayout.EcamBase % PciLayout.EcamSize);
            Assert.Equal(0xCF8, PciConfigPorts.BasePort);
            Assert.Equal(8, PciConfigPorts.PortCount);
        }

        [Fact]
        public void LinuxCheckType1_FindsMechanism1_AndAHostBridge()
        {
            // arch/x86/pci/direct.c pci_check_type1 + pci_sanity_check.
            Out8(_ports, 3, 0x01);
            uint tmp = In32(_ports, Address);
            Out32(_ports, Address, 0x8000_0000);
            Assert.Equal(0x8000_0000u, In32(_ports, Address));
            bool sane = false;
            for (int devfn = 0; devfn < 0x100; devfn++)
            {
                Out32(_ports, Address, Cf8(0, devfn >> 3, devfn & 7, 0x08));
                ushort cls = In16(_ports, Data + 2);
                if (cls == 0x0600 || cls == 0x0300) { sane = true; break; }
            }
            Assert.True(sane);
            Out32(_ports, Address, tmp);
            Assert.Equal(tmp, In32(_ports, Address));
        }

        [Fact]
        public void HostBridge_IdentityAndReadOnlyFields()
        {
            Assert.Equal(0x29C0_8086u, ConfigRead32(0, 0, 0, 0x00));
            Assert.Equal(0x0600_0000u, ConfigRead32(0, 0, 0, 0x08));
            Assert.Equal(0x00u, ConfigRead32(0, 0, 0, 0x0C) >> 16 & 0xFF);     // header type 0
            Out32(_ports, Address, Cf8(0, 0, 0, 0x00));
            Out32(_ports, Data, 0x1234_5678);
            Out32(_ports, Address, Cf8(0, 0, 0, 0x08));
            Out32(_ports, Data, 0xFFFF_FFFF);
            Assert.Equal(0x29C0_8086u, ConfigRead32(0, 0, 0, 0x00));
            Assert.Equal(0x0600_0000u, ConfigRead32(0, 0, 0, 0x08));
            Assert.Equal(0x0006u, ConfigRead32(0, 0, 0, 0x04) & 0xFFFF);      // memory + bus master
            Out32(_ports, Address, Cf8(0, 0, 0, 0x04));
            Out32(_ports, Data, 0xFFFF_FFFF);                                 // command all ones, status W1C
            Assert.Equal(0x0146u, ConfigRead32(0, 0, 0, 0x04));
            Out32(_ports, Address, Cf8(0, 0, 0, 0x10));
            Out32(_ports, Data, 0xFFFF_FFFF);                                 // no BARs: reads 0
            Assert.Equal(0u, ConfigRead32(0, 0, 0, 0x10));
            Out32(_ports, Address, Cf8(0, 0, 0, 0x3C));
            Out8(_ports, Data, 0x0B);                                         // interrupt line: scratch
            Assert.Equal(0x0Bu, ConfigRead32(0, 0, 0, 0x3C));
            Assert.Equal(0u, ConfigRead32(0, 0, 0, 0x34));                   // no capabilities
        }

        [Fact]
        public void DataPort_ByteAndWordLanes()
        {
            Out32(_ports, Address, Cf8(0, 0, 0, 0x00));
            Assert.Equal(0x86, In8(_ports, Data));
            Assert.Equal(0x80, In8(_ports, Data + 1));
            Assert.Equal(0xC0, In8(_ports, Data + 2));
            Assert.Equal(0x29C0, In16(_ports, Data + 2));
            Assert.Equal(0xC080u, (uint)In16(_ports, Data + 1));                // unaligned word: bytes 1-2
            Out32(_ports, Address, Cf8(0, 0, 0, 0x3C));
            Out16(_ports, Data, 0xAA55);
            Assert.Equal(0x55u, ConfigRead32(0, 0, 0, 0x3C) & 0xFFFF);        // interrupt pin stays 0
        }

        [Fact]
        public void AbsentFunctions_ReadAllOnes_DisabledAddressToo()
        {
            Assert.Equal(0xFFFF_FFFFu, ConfigRead32(0, 1, 0, 0));
            Assert.Equal(0xFFFF_FFFFu, ConfigRead32(0, 0, 1, 0));
            Assert.Equal(0xFFFF_FFFFu, ConfigRead32(1, 0, 0, 0));               // bus 1 is not decoded
            Out32(_ports, Address, Cf8(0, 31, 7, 0));
            Assert.Equal(0xFF, In8(_ports, Data + 3));
            Out32(_ports, Data, 0);                                           // vanishes
            Out32(_ports, Address, 0x0000_0000);                              // enable bit clear
            Assert.Equal(0xFFFF_FFFFu, In32(_ports, Data));
            Out32(_ports, Data, 0);
            Assert.Equal(0x29C0_8086u, ConfigRead32(0, 0, 0, 0x00));
        }

        [Fact]
        public void AddressRegister_MasksReservedBits_OnlyDwordAccessesReachIt()
        {
            Out32(_ports, Address, 0xFFFF_FFFF);
            Assert.Equal(0x80FF_FFFCu, In32(_ports, Address));
            Out8(_ports, Address, 0x00);
            Out16(_ports, Address + 2, 0x0000);
            Assert.Equal(0x80FF_FFFCu, _ports.ConfigAddress);
            Assert.Equal(0xFF, In8(_ports, Address));
            Assert.Equal(0xFFFF, In16(_ports, Address));
        }

        [Fact]
        public void ResetRegister_IsTheByteAt0xCF9()
        {
            Out16(_ports, 0, 0x0600);                                         // a word at 0xCF8: not RST_CNT
            Assert.Equal(0, _power.Resets);
            Out8(_ports, 1, 0x02);
            Assert.Equal(0x02, In8(_ports, 1));
            Out8(_ports, 1, PmLayout.ResetValue);
            Assert.Equal(1, _power.Resets);
            Out32(_ports, Address, 0x8000_0004);                              // dword: CONFIG_ADDRESS, not a reset
            Assert.Equal(1, _power.Resets);
        }

        [Fact]
        public void Ecam_ReachesTheSameFunctions()
        {
            var four = new byte[4];
            _ecam.Read(Ecam(0, 0, 0, 0), four);
            Assert.Equal(0x29C0_8086u, BitConverter.ToUInt32(four));
            var eight = new byte[8];
            _ecam.Read(Ecam(0, 0, 0, 0), eight);
            Assert.Equal(0x0000_0006_29C0_8086ul, BitConverter.ToUInt64(eight));    // IDs, then command/status
            var two = new byte[2];
            _ecam.Read(Ecam(0, 0, 0, 1), two);                                // unaligned word
            Assert.Equal(0xC080, BitConverter.ToUInt16(two));
            _ecam.Read(Ecam(0, 0, 0, 0x100), four);                           // extended space: no capabilities
            Assert.Equal(0u, BitConverter.ToUInt32(four));
            _ecam.Read(Ecam(0, 3, 0, 0), four);
            Assert.Equal(0xFFFF_FFFFu, BitConverter.ToUInt32(four));
            _ecam.Write(Ecam(0, 0, 0, 0x3C), new byte[] { 0x0A });
            Assert.Equal(0x0Au, ConfigRead32(0, 0, 0, 0x3C));
            _ecam.Read(PciEcam.Size + 16, four);                              // past the window
            Assert.Equal(0xFFFF_FFFFu, BitConverter.ToUInt32(four));
            _ecam.Read(Ecam(0, 0, 0, 0xFFE), four);                           // runs into the next function
            Assert.Equal(0xFFFF_0000u, BitConverter.ToUInt32(four));
        }

        [Fact]
        public void Registry_RefusesTakenAndOutOfRangeSlots()
        {
            Assert.False(_bus.TryAdd(0, 0, 0, new PciHostBridge(), out string why));
            Assert.Contains("taken", why);
            Assert.False(_bus.TryAdd(1, 0, 0, new PciHostBridge(), out why));
            Assert.False(_bus.TryAdd(0, 32, 0, new PciHostBridge(), out why));
            Assert.False(_bus.TryAdd(0, 0, 8, new PciHostBridge(), out why));
            Assert.False(_bus.TryAdd(0, 1, 0, null, out why));
            Assert.Null(_bus.Find(0, 1, 0));
            Assert.NotNull(_bus.Find(0, 0, 0));
        }

        [Fact]
        public void BarSizing_Memory32Io64()
        {
            var f = new PciConfigSpace(0x1AF4, 0x1000, 0x02, 0x00, 0x00, 0x00, PciHeaderType.Normal,
                                       PciCommand.IoSpace | PciCommand.MemorySpace | PciCommand.BusMaster);
            var mem = new PciBar(PciBarKind.Memory32, 0x1000);
            var io = new PciBar(PciBarKind.Io, 20);                           // rounds up to 32
            var mem64 = new PciBar(PciBarKind.Memory64, 16ul << 30, prefetchable: true);
            Assert.True(f.TrySetBar(0, mem));
            Assert.True(f.TrySetBar(1, io));
            Assert.True(f.TrySetBar(2, mem64));
            Assert.False(f.TrySetBar(3, new PciBar(PciBarKind.Memory32, 16)));   // high half of BAR2
            Assert.False(f.TrySetBar(5, new PciBar(PciBarKind.Memory64, 16)));   // no room for the high half
            Assert.True(_bus.TryAdd(0, 2, 0, f, out _));

            uint Size(int reg)
            {
                Out32(_ports, Address, Cf8(0, 2, 0, reg));
                uint old = In32(_ports, Data);
                Out32(_ports, Data, 0xFFFF_FFFF);
                uint mask = In32(_ports, Data);
                Out32(_ports, Data, old);
                return mask;
            }
            Assert.Equal(0xFFFF_F000u, Size(0x10));
            Assert.Equal(0xFFFF_FFE1u, Size(0x14));
            Assert.Equal(0x0000_000Cu, Size(0x18));                            // 64-bit prefetchable, 16 GiB: low bits all zero
            Assert.Equal(0xFFFF_FFFCu, Size(0x1C));
            Assert.Equal(32ul, io.Size);

            Out32(_ports, Address, Cf8(0, 2, 0, 0x10));
            Out32(_ports, Data, 0xFEBF_1234);
            Assert.Equal(0xFEBF_1000u, In32(_ports, Data));
            Assert.Equal(0xFEBF_1000ul, mem.Address);
            Out16(_ports, Data + 2, 0xFEC0);                                  // a word write merges
            Assert.Equal(0xFEC0_1000ul, mem.Address);
            Out32(_ports, Address, Cf8(0, 2, 0, 0x1C));
            Out32(_ports, Data, 0x0000_0008);
            Out32(_ports, Address, Cf8(0, 2, 0, 0x18));
            Out32(_ports, Data, 0x0000_0000);
            Assert.Equal(0x8_0000_0000ul, mem64.Address);
            Assert.Equal(0x0000_000Cu, In32(_ports, Data));
            Assert.Equal(0u, ConfigRead32(0, 2, 0, 0x20));                    // BAR4 empty
            Assert.Equal(0u, ConfigRead32(0, 2, 0, 0x04) & 0xFFFF);               // command starts 0
            Out32(_ports, Address, Cf8(0, 2, 0, 0x04));
            Out16(_ports, Data, 0xFFFF);
            Assert.Equal((ushort)(PciCommand.IoSpace | PciCommand.MemorySpace | PciCommand.BusMaster), f.Command);
        }

        [Fact]
        public void ConfigAccesses_AllocateNothing()
        {
            var four = new byte[4];
            var addr = new byte[4];
            Run(four, addr, 10);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(four, addr, 3000);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        private void Run(byte[] four, byte[] addr, int rounds)
        {
            for (int i = 0; i < rounds; i++)
            {
                uint a = Cf8(0, i & 31, 0, (i * 4) & 0xFC);
                addr[0] = (byte)a; addr[1] = (byte)(a >> 8); addr[2] = (byte)(a >> 16); addr[3] = (byte)(a >> 24);
                _ports.Write(Address, addr);
                _ports.Read(Data, four);
                _ports.Write(Data, four);
                _ecam.Read((ulong)(i * 4) & 0xFFF, four);
            }
        }
    }
}
