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

        /// <summary>
        /// The vCPU thread's side of the run loop: scheduler, clock, interrupts. The loop runs on
        /// <c>self</c>, so its switch-out request is self.PreemptRequested (kernel/Sched README,
        /// "vCPUs"): the scheduler is entered only when that is set, not on every exit.
        /// </summary>
        private sealed class VcpuHost : IVcpuHost
        {
            private readonly KThread _self;

            public VcpuHost(KThread self) { _self = self; }

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
                return true;
            }

            public void EndEntry() => Cpu.hv_sti();
        }

        private sealed class VcpuThread : IThreadEntry
        {
            private readonly Vm _vm;
            private readonly int _index;
            private readonly VcpuSetup _setup;
            private readonly DebugConsoleDevice _console;

            public VcpuThread(Vm vm, int index, VcpuSetup setup, DebugConsoleDevice console)
            {
                _vm = vm; _index = index; _setup = setup; _console = console;
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
                    // The 'test timer' of tests/Guests/hlt.asm until the LAPIC exists (issue #5): 1 ms.
                    _vm.VcpuAt(_index).SetHaltTestTimer(Tsc.Hz / 1000, 0x20);
                    VcpuRunLoop.Run(_vm.VcpuAt(_index), backend, new VcpuHost(self));
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
            while (System.Threading.Volatile.Read(ref s_vcpusRunning) > 0)
                SchedPlatform.Scheduler.Sleep(SchedPlatform.Scheduler.Now() + Tsc.Hz / 100);
            for (int i = 0; i < vms.Length; i++)
            {
                if (vms[i] == null) continue;
                bool passed = vms[i].StopReason == VmStopReason.DebugExit && vms[i].StopCode == 0;
                if (!passed && status == 0) status = 5;
            }
            Log.Info("HV: all VMs stopped");
            return status;
        }

        private static Vm CreateVm(HandOff h, VmConfig cfg, int id, out string error)
        {
            error = null;
            if (cfg.Loader != LoaderKind.Multiboot) { error = "loader " + ConfigNames.Name(cfg.Loader) + " is not implemented yet (issue #5)"; return null; }
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
        }

        private static PendingStart[] s_pendingStarts;

        /// <summary>Starts a created VM: one pinned scheduler thread per vCPU.</summary>
        private static void StartVm(int id)
        {
            Vm vm = s_pendingStarts[id].Vm;
            LoadResult load = s_pendingStarts[id].Load;
            VmConfig cfg = s_pendingStarts[id].Config;
            DebugConsoleDevice console = s_pendingStarts[id].Console;
            vm.Start();
            GuestRegion[] regions = vm.Memory.ToArray();
            for (int v = 0; v < cfg.Vcpus; v++)
            {
                var setup = new VcpuSetup
                {
                    Index = v,
                    Mode = v == 0 ? StartMode.ProtectedFlat32 : StartMode.WaitForSipi,
                    Rip = load.Entry.Eip,
                    Rax = load.Entry.Eax,
                    Rbx = load.Entry.Ebx,
                    Memory = regions,
                    Asid = id + 1,
                    AllocZeroedPage = &AllocZeroedFrame,
                };
                int cpu = (id * 7 + v + 1) % PerCpu.OnlineCount; // spread VMs over the CPUs
                ulong top = Stacks.Allocate(ThreadStackBytes);
                KThread t = SchedPlatform.Scheduler.CreateThread(vm.Name + "/vcpu" + v.ToString(), new VcpuThread(vm, v, setup, console),
                    top - ThreadStackBytes, ThreadStackBytes, 1UL << cpu, ThreadFlags.Vcpu);
                System.Threading.Interlocked.Increment(ref s_vcpusRunning);
                SchedPlatform.Scheduler.Start(t);
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
