// The hardware side of a VM's PC platform (issue 5): the device clock (host TSC -> ns), the kicker
// that makes a vCPU notice an interrupt posted by another thread, and the host serial console that
// one VM's UART may own (hv.cfg `console = NAME`).
using System;
using Hv.Arch;
using Hv.Arch.Apic;
using Hv.Config;
using Hv.Devices;
using Hv.Devices.Acpi;
using Hv.Devices.Lapic;
using Hv.Devices.Rtc;
using Hv.Devices.Uart;
using Hv.Diagnostics;
using Hv.Loader;
using Hv.Arch.Smp;
using Hv.Arch.Time;
using Hv.Devices.Platform;
using Hv.Sched;
using Hv.Virt;
using Hv.Virt.Platform;
using Hv.Virt.Platform.Acpi;

namespace Hv
{
    public static unsafe partial class Kernel
    {
        /// <summary>Nanoseconds since the VM was built, from the invariant host TSC (calibrated at boot).</summary>
        private sealed class TscDeviceClock : IDeviceClock
        {
            private readonly ulong _start = Cpu.hv_rdtsc();

            /// <summary>The TSC when this clock read 0 ns (VmPlatform turns device deadlines into TSC times from it).</summary>
            public ulong Start => _start;

            public ulong NowNs()
            {
                ulong t = Cpu.hv_rdtsc() - _start;
                ulong hz = Tsc.Hz;
                // Whole seconds, then the rest: no overflow for any uptime or clock rate.
                return t / hz * 1_000_000_000UL + t % hz * 1_000_000_000UL / hz;
            }
        }

        /// <summary>
        /// Wakes a halted vCPU's thread, and forces an exit of one in the guest on another CPU with the
        /// reschedule IPI (any host interrupt exits the guest: external-interrupt exiting / INTR intercept).
        /// The vCPU marks itself in the guest before it looks at its LAPIC, and the poster set the IRR
        /// before calling this: one of the two sees the other (both sides use locked instructions).
        /// </summary>
        private sealed class VcpuKicker : IVcpuKicker
        {
            private readonly Vm _vm;
            public readonly KThread[] Threads;

            public VcpuKicker(Vm vm)
            {
                _vm = vm;
                Threads = new KThread[vm.VcpuCount];
            }

            public void Kick(int vcpuIndex)
            {
                if ((uint)vcpuIndex >= (uint)Threads.Length) return;
                KThread t = Threads[vcpuIndex];
                if (t != null) SchedPlatform.Scheduler.Wake(t);
                int cpu = _vm.VcpuAt(vcpuIndex).InGuestOnCpu;
                if (cpu >= 0 && cpu != PerCpu.CurrentIndex)
                {
                    _vm.VcpuAt(vcpuIndex).Counters.KickIpis++;
                    Hv.Arch.Apic.LocalApic.SendIpi(PerCpu.Cpus[cpu].ApicId, IpiDelivery.Fixed, Interrupts.RescheduleVector);
                }
            }
        }
    
        /// <summary>The guest TSC as the LAPIC's TSC-deadline timer needs it: read through the vCPU's backend state (host TSC + offset).</summary>
        private sealed class VcpuGuestTsc : IGuestTsc
        {
            private readonly Vcpu _vcpu;
            public VcpuGuestTsc(Vcpu vcpu) { _vcpu = vcpu; }
            public ulong Now() => _vcpu.State != null ? _vcpu.State.Get(GuestRegister.Tsc) : Cpu.hv_rdtsc();
            public ulong TicksPerSecond => Tsc.Hz;
        }

        /// <summary>The host RTC, read once when the guest's RTC is made.</summary>
        private sealed class HostWallClock : IWallClock
        {
            public ulong UnixSeconds() => HostRtc.ReadUnixSeconds();
        }

        /// <summary>S5 and resets from the guest's ACPI PM block / 0xCF9 end the VM (a reset is not restarted yet).</summary>
        private sealed class VmPower : IPowerControl
        {
            private readonly Vm _vm;
            public VmPower(Vm vm) { _vm = vm; }
            public void PowerOff() => _vm.Stop(VmStopReason.PowerOff, 0, null);
            public void Reset() => _vm.Stop(VmStopReason.Reset, 0, "the guest reset the machine (restart is not implemented)");
        }

        /// <summary>COM1 of the console VM: its bytes go to the host serial port as they are (the polled writer shows bytes above 0x7F as '?').</summary>
        private sealed class RawSerialOutput : IUartOutput
        {
            public void Write(byte value) => Internal.Runtime.Kernel.Panic.WriteChar((char)value);
        }

        /// <summary>COM1 of other VMs: lines on the log, prefixed with the VM's name (the debug console's line discipline).</summary>
        private sealed class LineOutput : IUartOutput
        {
            private readonly DebugConsoleDevice _lines;
            public LineOutput(DebugConsoleDevice lines) { _lines = lines; }
            public void Write(byte value)
            {
                Span<byte> b = stackalloc byte[1];
                b[0] = value;
                _lines.Write(0, b);
            }
        }

        /// <summary>
        /// Typing on the host serial console goes to the console VM's COM1: a kernel thread polls the host
        /// UART (LSR bit 0, data ready) every 2 ms and hands each byte to the guest's UART under the
        /// platform lock, interrupts off. A byte the guest's FIFO cannot take waits for the next poll.
        /// </summary>
        private sealed class ConsoleInputThread : IThreadEntry
        {
            private const ushort HostCom1 = 0x3F8;
            private readonly Vm _vm;
            private readonly PcPlatform _pc;

            public ConsoleInputThread(Vm vm, PcPlatform pc) { _vm = vm; _pc = pc; }

            public void Run(KThread self)
            {
                int held = -1;
                Scheduler s = SchedPlatform.Scheduler;
                while (!_vm.IsStopped)
                {
                    if (held < 0 && (Cpu.hv_inb(HostCom1 + 5) & 1) != 0) held = Cpu.hv_inb(HostCom1);
                    if (held >= 0)
                    {
                        bool irq = SchedPlatform.InterruptsOff();
                        _pc.Platform.Lock.Enter();
                        if (_pc.Com1.Receive((byte)held)) held = -1;
                        _pc.Platform.Lock.Exit();
                        if (irq) Cpu.hv_sti();
                        if (held < 0) continue;           // more may be waiting in the host FIFO
                    }
                    s.Sleep(s.Now() + Tsc.Hz / 500);
                }
            }
        }

        /// <summary>
        /// A [vm] with loader = linux: RAM with the PC layout (a hole below 4 GiB), the PC platform, guest
        /// ACPI tables, the bzImage, initrd and command line. Everything is built before anything runs;
        /// an error leaves the VM unstarted.
        /// </summary>
        private static Vm CreateLinuxVm(HandOff h, VmConfig cfg, int id, out string error)
        {
            LoadedFile kernel = FindFile(h, cfg.Kernel);
            if (kernel == null) { error = "kernel file not loaded"; return null; }
            LoadedFile initrd = cfg.Initrd != null ? FindFile(h, cfg.Initrd) : null;
            if (cfg.Initrd != null && initrd == null) { error = "initrd file not loaded"; return null; }

            Span<GuestRange> ranges = stackalloc GuestRange[2];
            int rangeCount = GuestPlatformLayout.RamRanges(cfg.MemoryBytes, ranges);
            Span<HostChunk> chunks = stackalloc HostChunk[MaxRamChunks];
            if (!GuestRamAllocator.TryAllocate(Frames, cfg.MemoryBytes, chunks, out int n, out error)) return null;
            GuestRange[] ram = ranges.Slice(0, rangeCount).ToArray();
            if (!GuestMemoryLayout.TryBuild(ram, chunks.Slice(0, n), new IdentityHostMemory(), out GuestMemory mem, out error)) return null;
            for (int i = 0; i < ram.Length; i++) mem.Zero(ram[i].GuestPhysical, ram[i].Size);
            if (!Vm.TryCreate(cfg.Name, id + 1, mem, cfg.Vcpus, new HardwareCpuInfo(), out Vm vm, out error)) return null;

            var console = new DebugConsoleDevice(vm.Name, new GuestConsoleSink());
            if (!vm.TryRegisterIo(DebugConsoleDevice.DefaultPort, 1, console, out error)) return null;
            if (HasDevice(cfg, DeviceKind.DebugExit) && !vm.TryRegisterIo(0xF4, 4, new DebugExitDevice(vm), out error)) return null;

            bool isConsole = h.Config.Console != null && h.Config.Console == cfg.Name;
            IUartOutput com1 = null;
            if (HasDevice(cfg, DeviceKind.Uart)) com1 = isConsole ? new RawSerialOutput() : (IUartOutput)new LineOutput(console);
            var kicker = new VcpuKicker(vm);
            ulong below4G = 0, above4G = 0;
            for (int i = 0; i < ram.Length; i++) { if (ram[i].GuestPhysical < 0x1_0000_0000UL) below4G += ram[i].Size; else above4G += ram[i].Size; }
            var options = new PcPlatformOptions
            {
                TicksPerSecond = Tsc.Hz,
                PhysicalAddressBits = 39,
                GuestTsc = new VcpuGuestTsc(vm.VcpuAt(0)),
                WallClock = new HostWallClock(),
                Power = new VmPower(vm),
                Com1Output = com1,
                RamBelow4G = below4G,
                RamAbove4G = above4G,
            };
            var clock = new TscDeviceClock();
            options.TicksAtClockZero = clock.Start;
            PcPlatform pc = PcPlatform.Build(vm, clock, kicker, options, out error);
            if (pc == null) return null;

            var ramView = new GuestRamView(mem);
            error = GuestAcpiTables.Install(GuestAcpiConfig.Default(cfg.Vcpus), ramView, out GuestAcpiLayout acpi);
            if (error != null) { error = "ACPI tables: " + error; return null; }
            ReadOnlySpan<byte> initrdBytes = initrd != null ? new ReadOnlySpan<byte>((void*)initrd.Address, (int)initrd.Size) : default;
            LoadResult load = LinuxLoader.Load(new ReadOnlySpan<byte>((void*)kernel.Address, (int)kernel.Size), ramView,
                ranges.Slice(0, rangeCount), cfg.Cmdline ?? "", initrdBytes, acpi.RsdpAddress);
            if (!load.Ok) { error = cfg.Kernel + ": " + load.Error; return null; }
            Log.Info("vm " + vm.Name + ": " + (cfg.MemoryBytes >> 20).ToString() + " MiB, " + cfg.Vcpus.ToString() + " vCPU(s), Linux "
                + cfg.Kernel + " at " + Hv.Virt.Caps.Hex.Format(load.KernelStart, 1) + (initrd != null ? ", initrd " + cfg.Initrd : "")
                + (isConsole ? ", COM1 on the serial console" : ""));
            s_pendingStarts[id] = new PendingStart { Vm = vm, Console = console, Load = load, Config = cfg, Pc = pc, Kicker = kicker, ConsoleOwner = isConsole };
            return vm;
        }

        private static bool HasDevice(VmConfig cfg, DeviceKind kind)
        {
            if (cfg.Devices == null) return false;
            for (int i = 0; i < cfg.Devices.Length; i++) if (cfg.Devices[i].Kind == kind) return true;
            return false;
        }

        /// <summary>The Linux 64-bit entry (boot.rst "64-bit Boot Protocol") for the BSP, from the loader's entry state.</summary>
        private static LongModeStart LinuxStart(in EntryState e) => new LongModeStart
        {
            Cr3 = e.Cr3,
            GdtBase = e.GdtrBase,
            GdtLimit = e.GdtrLimit,
            CodeSelector = e.Cs.Selector,
            DataSelector = e.Ds.Selector,
            Rsp = e.Esp,
        };
    }
}
