using System.Runtime.InteropServices;
using Internal.Runtime.Kernel;

namespace Hv.Boot
{
    public static unsafe class EfiEntry
    {
        [UnmanagedCallersOnly(EntryPoint = "EfiMain")]
        private static ulong EfiMain(nint imageHandle, void* systemTable)
        {
            RuntimeStartup.Initialize();
            Panic.Write("hello from the hypervisor\r\n");
            Panic.Fail("stop");
            return 0;
        }
    }
}
