// The VM's platform lock (PlatformContracts.cs, "Concurrency"): one test-and-set lock around every call
// into the shared device models (IOAPIC, PIC, PIT, RTC, PM, UART, PCI). Critical sections are a
// register access or a timer step, so a spin lock is right. On the image, holders run with interrupts
// off (exit handlers do; other threads must disable them first), so the holder is never preempted.
using System.Threading;

namespace Hv.Virt.Platform
{
    public sealed class PlatformLock
    {
        private int _held;

        public void Enter()
        {
            while (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
            {
                while (Interlocked.CompareExchange(ref _held, 0, 0) != 0) { } // the corelib's Volatile.Read may be hoisted (docs/runtime.md)
            }
        }

        public void Exit() => Interlocked.Exchange(ref _held, 0);

        public bool IsHeld => Interlocked.CompareExchange(ref _held, 0, 0) != 0;
    }
}
