using System.Collections.Generic;
using Hv.Virt.Vmx;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>A TSC that the test sets, and MSRs as a table (what the CPU would hold).</summary>
    internal sealed class FakePlatform : IVmxPlatform
    {
        public ulong Tsc = 1_000_000;
        public readonly Dictionary<uint, ulong> Msrs = new Dictionary<uint, ulong>();
        public int MsrWrites;

        public ulong ReadTsc() => Tsc;
        public ulong ReadMsr(uint msr) => Msrs.TryGetValue(msr, out ulong v) ? v : 0;
        public void WriteMsr(uint msr, ulong value) { Msrs[msr] = value; MsrWrites++; }
    }
}
