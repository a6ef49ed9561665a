// The UEFI entry point and the boot stage: everything that needs the firmware happens here,
// then ExitBootServices, the kernel's own GDT/IDT/page tables/stack, and the kernel proper
// (kernel/KernelMain.cs) with one hand-off record.
using System.Runtime.InteropServices;
using Hv.Arch;
using Hv.Boot.Uefi;
using Hv.Diagnostics;
using Hv.Drivers.Serial;
using Internal.Runtime.Kernel;

namespace Hv.Boot
{
    public static unsafe class EfiEntry
    {
        [UnmanagedCallersOnly(EntryPoint = "EfiMain")]
        private static ulong EfiMain(nint imageHandle, EFI_SYSTEM_TABLE* systemTable)
        {
            ulong tsc = Cpu.hv_rdtsc();
            // Nothing may touch a static field before this: it allocates the GC statics.
            RuntimeStartup.Initialize();
            Firmware.SystemTable = systemTable;
            Firmware.ImageHandle = imageHandle;
            Firmware.DisableWatchdog();
            BootStage.Run(tsc);
            return 0x8000000000000001; // EFI_LOAD_ERROR: only reached when the boot stage gave up
        }
    }

    internal static unsafe class BootStage
    {
        private const ulong HeapBytes = 96UL * 1024 * 1024;
        private const ulong KernelStackBytes = 256 * 1024;

        public static void Run(ulong bootTsc)
        {
            var uart = new Uart16550(Uart16550.Com1);
            uart.Initialize(115200);
            Log.AddSink(uart);
            ILogSink console = null;
            if (!Firmware.ConsoleMirroredToSerial())
            {
                console = new ConsoleSink();
                Log.AddSink(console);
            }
            Log.Info("hv: booting (C# NativeAOT UEFI image)");

            ulong heap = Firmware.AllocatePages(HeapBytes);
            if (heap == 0 || !KernelHeap.AddRegion((void*)heap, (nuint)HeapBytes))
                Panic.Fail("cannot allocate the kernel heap from UEFI", HeapBytes, "bytes");

            var h = new HandOff { BootTsc = bootTsc, ImageBase = BootVolume.ImageBase(), Rsdp = Firmware.FindRsdp() };
            Exceptions.ImageBase = h.ImageBase;
            Log.Info("boot: image at " + Hex(h.ImageBase) + ", ACPI RSDP at " + Hex(h.Rsdp));

            ConfigLoader.Load(h, uart);

            // The kernel stack, with a guard page below it (made not-present once paging is ours).
            ulong stack = Firmware.AllocatePages(KernelStackBytes + 4096);
            if (stack != 0) { Hv.Arch.Paging.Stacks.AddGuard(stack); stack += 4096; }
            // The AP start-up trampoline runs in real mode: its page must lie below 1 MiB.
            h.TrampolinePage = Firmware.AllocateBelow(4096, 0x9FFFF);
            ulong limit = HighestAddress();
            h.Pml4 = PageTables.BuildIdentityMap(limit, &AllocZeroedPage);
            nuint mapCapacity = Firmware.MemoryMapCapacity();
            byte* map = (byte*)Firmware.AllocatePages(mapCapacity);
            if (stack == 0 || map == null) Panic.Fail("out of UEFI memory before ExitBootServices");

            Log.Info("boot: exiting boot services");
            if (console != null) Log.RemoveSink(console);
            h.ExitBootServicesTsc = Cpu.hv_rdtsc();
            if (!Firmware.ExitBootServices(map, mapCapacity, out nuint mapSize, out nuint descSize, out _))
                Panic.Fail("ExitBootServices failed");
            Cpu.hv_cli();
            h.MemoryMap = map;
            h.MemoryMapSize = mapSize;
            h.DescriptorSize = descSize;

            DescriptorTables.BuildIdt();
            DescriptorTables.LoadForCpu();
            Cpu.hv_write_cr3(h.Pml4);
            Kernel.Boot = h;
            Cpu.hv_switch_stack((void*)(stack + KernelStackBytes), &Kernel.Entry, null);
        }

        private static ulong AllocZeroedPage()
        {
            // Below 4 GiB: APs load CR3 with a 32-bit move before they reach long mode.
            ulong p = Firmware.AllocateBelow(4096, 0xFFFFFFFF);
            if (p == 0) Panic.Fail("out of UEFI memory for page tables");
            for (int i = 0; i < 512; i++) ((ulong*)p)[i] = 0;
            return p;
        }

        /// <summary>End of the highest memory-map range (at least 4 GiB, so MMIO below 4 GiB is mapped).</summary>
        private static ulong HighestAddress()
        {
            nuint cap = Firmware.MemoryMapCapacity();
            byte* buf = (byte*)Firmware.AllocatePages(cap);
            nuint size = Firmware.ReadMemoryMap(buf, cap, out nuint ds);
            ulong top = 4UL << 30;
            for (nuint off = 0; ds != 0 && off + ds <= size; off += ds)
            {
                var d = (EFI_MEMORY_DESCRIPTOR*)(buf + off);
                ulong end = d->PhysicalStart + d->NumberOfPages * 4096;
                if (end > top) top = end;
            }
            return top;
        }

        internal static string Hex(ulong v) => Hv.Virt.Caps.Hex.Format(v, 1);
    }
}
