using Hv.Diagnostics;

namespace Hv.SelfTest
{
    /// <summary>In-image self-tests (hv.cfg `selftest = yes`); each prints `SELFTEST name: PASS|FAIL reason`.</summary>
    public static class SelfTests
    {
        public static bool RunAll()
        {
            bool ok = Report("runtime", RuntimeSelfTest.Run());
            ok &= Report("iced", IcedSelfTest.Run());
            return ok;
        }

        private static bool Report(string name, string failure)
        {
            if (failure == null) Log.Info("SELFTEST " + name + ": PASS");
            else Log.Error("SELFTEST " + name + ": FAIL " + failure);
            return failure == null;
        }
    }
}
