using Hv.Config;
using Xunit;

namespace Hv.Tests.Config
{
    /// <summary>[hypervisor] console = NAME: the VM whose UART gets the host serial console.</summary>
    public class ConfigConsoleTests
    {
        private const string Vm = "[vm linux]\nmemory = 256M\nkernel = k\n";

        [Fact]
        public void NamesAVmWithAUart_LaterInTheFile()
        {
            ConfigResult r = Cfg.Parse("[hypervisor]\nconsole = linux\n" + Vm + "devices = uart\n");
            Assert.Empty(r.Errors);
            Assert.Equal("linux", r.Config.Console);
        }

        [Fact]
        public void DefaultAndNone_MeanNoConsoleVm()
        {
            Assert.Null(Cfg.Parse(Vm).Config.Console);
            Assert.Null(Cfg.Parse("[hypervisor]\nconsole = none\n" + Vm).Config.Console);
        }

        [Fact]
        public void UnknownVm_IsAnErrorOnTheConsoleLine()
        {
            Assert.Equal("hv.cfg:2: console: no [vm web] in this file (use a VM name or none)",
                Cfg.Error("[hypervisor]\nconsole = web\n" + Vm + "devices = uart\n"));
        }

        [Fact]
        public void VmWithoutUart_IsAnError()
        {
            Assert.Equal("hv.cfg:2: console: [vm linux] has no uart in its devices list",
                Cfg.Error("[hypervisor]\nconsole = linux\n" + Vm));
        }
    }
}
