// Running the VMs of hv.cfg: guest RAM from frames, the Vm with its devices, the Multiboot
// image loaded, and one scheduler thread per vCPU driving the backend (VcpuRunLoop). Each vCPU
// thread is pinned: a VMCS/VMCB is bound to the CPU it first ran on.
using System;
using Hv.Arch;
using Hv.Arch.Paging;
using Hv.Arch.Smp;
using Hv.Arch.Time;
using Hv.Config;
using Hv.Devices;
using Hv.Diagnostics;
using Hv.Loader;
using Hv.Sched;
using Hv.Virt;
using Hv.Virt.Platform;
using Hv.Virt.Platform.Acpi;

namespace Hv
{
    public static unsafe partial class Kernel
    {
        private const int MaxRamChunks = 64;
        private static IVirtBackend s_backend;
        private static readonly bool[] s_backendOnCpu = new bool[PerCpu.MaxCpus];
        private static int s_backendLock;
        private static int s_vcpusRunning;

        /// <summary>Guest lines on the hypervisor log, prefixed with the VM's name by the device.</summary>
        private sealed class GuestConsoleSink : ILineSink
        {
            // One string per complete guest line: guest output is rare next to exits (docs/runtime.md).
            public void WriteLine(ReadOnlySpan<char> line) => Log.Info(new string(line));
        }

        private sealed class IdentityHostMemory : IHostPhysicalMemory
        {
            public bool Read(ulong hostPhysical, Span<byte> destination)
            {
                new ReadOnlySpan<byte>((void*)hostPhysical, destination.Length).CopyTo(destination);
                return true;
            }

            public bool Write(ulong hostPhysical, ReadOnlySpan<byte> source)
            {
                source.CopyTo(new Span<byte>((void*)hostPhysical, source.Length));
                return true;
            }
        }

        /// <summary>Tsc.Hz / this = the least time a guest runs before a virtual-timer exit: 20 µs.</summary>
        private const ulong MinGuestRunDivisor = 50_000;

        /// <summary>
        /// The vCPU thread's side of the run loop: scheduler, clock, interrupts. The loop runs on
        /// <c>self</c>, so its switch-out request is self.PreemptRequested (kernel/Sched README,
        /// "vCPUs"): the scheduler is entered only when that is set, not on every exit.
        /// </summary>
        private sealed class VcpuHost : IVcpuHost, ITimerCallback
        {
            private readonly KThread _self;
            private readonly Vcpu _vcpu;
            private readonly OneShotTimer _guestTimer;
            private ulong _armedFor = Vcpu.NoDeadline;

            /// <summary>The VM has the PC platform: only then can another thread post to this vCPU (kicks need to know where it runs).</summary>
            private readonly bool _platform;

            public VcpuHost(KThread self, Vcpu vcpu)
            {
                _self = self;
                _vcpu = vcpu;
                _platform = vcpu.Apic != null;
                _guestTimer = new OneShotTimer(this);
            }
            /// <summary>
            /// A host timer at the guest's next virtual-timer deadline: its interrupt makes the guest exit
            /// (external-interrupt exiting / INTR intercept) and the run loop delivers the virtual interrupt.
            /// Re-armed only when the deadline moves; the thread is pinned, so the timer stays on its CPU.
            /// </summary>
            public void ArmGuestDeadline(ulong deadline)
            {
                // The guest runs at least MinGuestRun before the timer ends its run: a deadline already
                // past (a periodic LAPIC timer with a tiny count, a device that is behind) would
                // otherwise exit at once on every entry and the guest would never move on. What fell
                // due meanwhile is delivered at that exit.
                if (deadline == Vcpu.NoDeadline)
                {
                    if (_armedFor != Vcpu.NoDeadline) { _armedFor = Vcpu.NoDeadline; SchedPlatform.Scheduler.CancelTimer(_guestTimer); }
                    return;                                           // the bare test guests: nothing per entry
                }
                ulong earliest = Cpu.hv_rdtsc() + Tsc.Hz / MinGuestRunDivisor;
                if (deadline < earliest) { deadline = earliest; _vcpu.Counters.GuestTimerLate++; }
                if (deadline == _armedFor && _guestTimer.IsArmed) return;
                _armedFor = deadline;
                SchedPlatform.Scheduler.ArmTimer(_guestTimer, deadline);
            }

            /// <summary>The interrupt itself ended the guest's run; only counted (the report's "host interrupts").</summary>
            public void OnTimer(OneShotTimer timer, ulong now) => _vcpu.Counters.GuestTimerFires++;

            public ulong Now() => Cpu.hv_rdtsc();

            public void Wait(Vcpu vcpu, ulong deadline)
            {
                Scheduler s = SchedPlatform.Scheduler;
                ulong now = s.Now();
                ulong limit = now + Tsc.Hz / 100; // wake at least every 10 ms (a stop or a kick is noticed)
                s.Sleep(deadline < limit ? deadline : limit);
            }

            public void PreemptPoint()
            {
                if (_self.PreemptRequested) SchedPlatform.Scheduler.PreemptPoint();
            }

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public bool BeginEntry()
            {
                Cpu.hv_cli();
                if (_self.PreemptRequested) { Cpu.hv_sti(); return false; }
                if (_platform) _vcpu.MarkInGuest(PerCpu.CurrentIndex);   // before the LAPIC is looked at (VcpuKicker)
                return true;
            }

            public void EndEntry()
            {
                if (_platform) _vcpu.MarkOutOfGuest();
                Cpu.hv_sti();
            }
        }

        private sealed class VcpuThread : IThreadEntry
        {
            private readonly Vm _vm;
            private readonly int _index;
            private readonly VcpuSetup _setup;
            private readonly DebugConsoleDevice _console;
            private readonly bool _platform;

            public VcpuThread(Vm vm, int index, VcpuSetup setup, DebugConsoleDevice console, bool platform)
            {
                _vm = vm; _index = index; _setup = setup; _console = console; _platform = platform;
            }

            public void Run(KThread self)
            {
                VcpuSetup setup = _setup;
                IBackendVcpu backend = null;
                string error = null;
                if (EnableBackendHere(out error)) backend = s_backend.CreateVcpu(ref setup, out error);
                if (backend == null || !_vm.VcpuAt(_index).Attach(backend.State))
                    _vm.Stop(VmStopReason.HypervisorError, 0, "vCPU " + _index.ToString() + ": " + (error ?? "cannot attach"));
                else
                {
                    // The bare test guests (no PC platform) get the 'test timer' of tests/Guests/hlt.asm: 1 ms.
                    if (!_platform) _vm.VcpuAt(_index).SetHaltTestTimer(Tsc.Hz / 1000, 0x20);
                    VcpuRunLoop.Run(_vm.VcpuAt(_index), backend, new VcpuHost(self, _vm.VcpuAt(_index)));
                }
                if (_index == 0)
                {
                    _console.Flush();
                    Log.Info(ExitReport.Format(_vm));
                }
                System.Threading.Interlocked.Decrement(ref s_vcpusRunning);
            }
        }

        /// <summary>VMXON / SVM enable once per CPU, under a lock (several vCPU threads may share a CPU).</summary>
        private static bool EnableBackendHere(out string error)
        {
            error = null;
            int cpu = PerCpu.CurrentIndex;
            while (System.Threading.Interlocked.CompareExchange(ref s_backendLock, 1, 0) != 0) Cpu.hv_pause();
            bool ok = s_backendOnCpu[cpu] || s_backend.EnableOnThisCpu(out error);
            if (ok) s_backendOnCpu[cpu] = true;
            System.Threading.Volatile.Write(ref s_backendLock, 0);
            return ok;
        }

        /// <summary>Creates and starts every VM; waits until all have stopped. Returns the worst status.</summary>
        private static int RunVms(HandOff h, IVirtBackend backend)
        {
            s_backend = backend;
            CpuidProfile.HostTscHz = Tsc.Hz;   // guests read their TSC rate from CPUID 0x15/0x16 (CpuidPolicy)
            // Class constructors run here, once, on this thread: Iced's tables (the MMIO decoders)
            // cost millions of instructions and must not first run inside a VM exit with
            // interrupts off while another CPU waits for them (docs/runtime.md).
            string warm = Hv.SelfTest.IcedSelfTest.Run();
            if (warm != null) Log.Warn("virt: decoder warm-up: " + warm);
            VmConfig[] cfgs = h.Config.Vms;
            var vms = new Vm[cfgs.Length];
            s_pendingStarts = new PendingStart[cfgs.Length];
            int status = 0;
            // All VMs exist (memory, devices, images) before any runs: each one's isolation is
            // tested while the others' memory is there to be (not) seen.
            for (int i = 0; i < cfgs.Length; i++)
            {
                vms[i] = CreateVm(h, cfgs[i], i, out string error);
                if (vms[i] == null) { Log.Error("vm " + cfgs[i].Name + ": not started: " + error); status = 5; }
            }
            for (int i = 0; i < cfgs.Length; i++) if (vms[i] != null) StartVm(i);
            ulong nextReport = SchedPlatform.Scheduler.Now() + ProgressPeriodSeconds * Tsc.Hz;
            while (System.Threading.Volatile.Read(ref s_vcpusRunning) > 0)
            {
                SchedPlatform.Scheduler.Sleep(SchedPlatform.Scheduler.Now() + Tsc.Hz / 100);
                if (Log.Enabled(LogLevel.Debug) && SchedPlatform.Scheduler.Now() >= nextReport)
                {
                    nextReport += ProgressPeriodSeconds * Tsc.Hz;
                    for (int i = 0; i < vms.Length; i++) if (vms[i] != null && !vms[i].IsStopped) ReportProgress(vms[i]);
                }
            }
            for (int i = 0; i < vms.Length; i++)
            {
                if (vms[i] == null) continue;
                bool passed = (vms[i].StopReason == VmStopReason.DebugExit && vms[i].StopCode == 0) || vms[i].StopReason == VmStopReason.PowerOff;
                if (!passed && status == 0) status = 5;
            }
            Log.Info("HV: all VMs stopped");
            return status;
        }

        private const ulong ProgressPeriodSeconds = 5;

        /// <summary>log_level = debug: every few seconds, each running vCPU's exit count and last exit (to see where a guest hangs).</summary>
        private static void ReportProgress(Vm vm)
        {
            for (int v = 0; v < vm.VcpuCount; v++)
            {
                Vcpu c = vm.VcpuAt(v);
                Log.Debug("vm " + vm.Name + " vcpu" + v.ToString() + ": " + c.Counters.Total.ToString() + " exits, last "
                    + ExitCounters.KindName(c.LastExitKind) + " at rip " + Hv.Virt.Caps.Hex.Format(c.LastExitRip, 1)
                    + (c.IsHalted ? ", halted" : ""));
            }
        }

        private static Vm CreateVm(HandOff h, VmConfig cfg, int id, out string error)
        {
            error = null;
            if (cfg.Loader == LoaderKind.Linux) return CreateLinuxVm(h, cfg, id, out error);
            if (cfg.Loader != LoaderKind.Multiboot) { error = "loader " + ConfigNames.Name(cfg.Loader) + " is not implemented yet"; return null; }
            LoadedFile kernel = FindFile(h, cfg.Kernel);
            if (kernel == null) { error = "kernel file not loaded"; return null; }

            Span<HostChunk> chunks = stackalloc HostChunk[MaxRamChunks];
            if (!GuestRamAllocator.TryAllocate(Frames, cfg.MemoryBytes, chunks, out int n, out error)) return null;
            GuestRange[] ram = { new GuestRange(0, cfg.MemoryBytes) };
            if (!GuestMemoryLayout.TryBuild(ram, chunks.Slice(0, n), new IdentityHostMemory(), out GuestMemory mem, out error)) return null;
            mem.Zero(0, cfg.MemoryBytes);
            if (!Vm.TryCreate(cfg.Name, id + 1, mem, cfg.Vcpus, new HardwareCpuInfo(), out Vm vm, out error)) return null;

            var console = new DebugConsoleDevice(vm.Name, new GuestConsoleSink());
            if (!vm.TryRegisterIo(DebugConsoleDevice.DefaultPort, 1, console, out error)) return null;
            if (!vm.TryRegisterIo(0xF4, 4, new DebugExitDevice(vm), out error)) return null;

            LoadResult load = MultibootLoader.Load(new ReadOnlySpan<byte>((void*)kernel.Address, (int)kernel.Size),
                new GuestRamView(mem), cfg.Cmdline ?? "");
            if (!load.Ok) { error = cfg.Kernel + ": " + load.Error; return null; }
            Log.Info("vm " + vm.Name + ": " + (cfg.MemoryBytes >> 20).ToString() + " MiB in " + n.ToString() + " host chunk(s), "
                + cfg.Vcpus.ToString() + " vCPU(s), " + cfg.Kernel + " loaded (entry " + Hv.Virt.Caps.Hex.Format(load.Entry.Eip, 1) + ")");

            s_pendingStarts[id] = new PendingStart { Vm = vm, Console = console, Load = load, Config = cfg };
            return vm;
        }

        private struct PendingStart
        {
            public Vm Vm;
            public DebugConsoleDevice Console;
            public LoadResult Load;
            public VmConfig Config;
            public PcPlatform Pc;           // loader = linux: the PC platform (null for the bare test guests)
            public VcpuKicker Kicker;
            public bool ConsoleOwner;
        }

        private static PendingStart[] s_pendingStarts;

        /// <summary>Starts a created VM: one pinned scheduler thread per vCPU.</summary>
        private static void StartVm(int id)
        {
            Vm vm = s_pendingStarts[id].Vm;
            LoadResult load = s_pendingStarts[id].Load;
            VmConfig cfg = s_pendingStarts[id].Config;
            DebugConsoleDevice console = s_pendingStarts[id].Console;
            bool linux = s_pendingStarts[id].Pc != null;
            VcpuKicker kicker = s_pendingStarts[id].Kicker;
            vm.Start();
            GuestRegion[] regions = vm.Memory.ToArray();
            for (int v = 0; v < cfg.Vcpus; v++)
            {
                var setup = new VcpuSetup
                {
                    Index = v,
                    Mode = v != 0 ? StartMode.WaitForSipi : linux ? StartMode.Long64 : StartMode.ProtectedFlat32,
                    Rip = load.Entry.Eip,
                    Rax = load.Entry.Eax,
                    Rbx = load.Entry.Ebx,
                    Rsi = load.Entry.Esi,
                    Long = linux ? LinuxStart(load.Entry) : default,
                    Memory = regions,
                    Asid = id + 1,
                    AllocZeroedPage = &AllocZeroedFrame,
                };
                int cpu = (id * 7 + v + 1) % PerCpu.OnlineCount; // spread VMs over the CPUs
                ulong top = Stacks.Allocate(ThreadStackBytes);
                KThread t = SchedPlatform.Scheduler.CreateThread(vm.Name + "/vcpu" + v.ToString(), new VcpuThread(vm, v, setup, console, linux),
                    top - ThreadStackBytes, ThreadStackBytes, 1UL << cpu, ThreadFlags.Vcpu);
                if (kicker != null) kicker.Threads[v] = t;
                System.Threading.Interlocked.Increment(ref s_vcpusRunning);
                SchedPlatform.Scheduler.Start(t);
            }
            if (s_pendingStarts[id].ConsoleOwner && s_pendingStarts[id].Pc.Com1 != null)
            {
                ulong stack = Stacks.Allocate(ThreadStackBytes);
                KThread input = SchedPlatform.Scheduler.CreateThread(vm.Name + "/console", new ConsoleInputThread(vm, s_pendingStarts[id].Pc),
                    stack - ThreadStackBytes, ThreadStackBytes, 1UL, ThreadFlags.None);
                SchedPlatform.Scheduler.Start(input);
            }
        }

        private static ulong AllocZeroedFrame() => AllocatePages(1);

        private static LoadedFile FindFile(HandOff h, string path)
        {
            if (h.Files == null) return null;
            for (int i = 0; i < h.Files.Length; i++) if (h.Files[i] != null && h.Files[i].Path == path) return h.Files[i];
            return null;
        }
    }
}
