using System.Collections.Generic;
using Hv.Virt;
using Hv.Virt.Mmio;

namespace Hv.Tests.Unit.Virt.Mmio
{
    /// <summary>MMIO "device" memory [Base, Base + Bytes.Length) as plain bytes; records every access.</summary>
    internal sealed class FakeMmioBus : IMmioBus
    {
        public readonly ulong Base;
        public readonly byte[] Bytes;
        public readonly List<(ulong Gpa, int Size, bool Write, ulong Value)> Log = new List<(ulong, int, bool, ulong)>();
        /// <summary>Accesses outside the window or of a width other than 1, 2, 4, 8.</summary>
        public int Stray;
        public bool Recording = true;

        public FakeMmioBus(ulong gpa, int length)
        {
            Base = gpa;
            Bytes = new byte[length];
        }

        public ulong Read(ulong gpa, int size)
        {
            ulong v = ulong.MaxValue;
            if (Inside(gpa, size))
                v = Hv.Virt.Bytes.Load(new System.ReadOnlySpan<byte>(Bytes, (int)(gpa - Base), size));
            if (Recording) Log.Add((gpa, size, false, v));
            return v;
        }

        public void Write(ulong gpa, int size, ulong value)
        {
            if (Inside(gpa, size))
                Hv.Virt.Bytes.Store(new System.Span<byte>(Bytes, (int)(gpa - Base), size), value);
            if (Recording) Log.Add((gpa, size, true, value));
        }

        private bool Inside(ulong gpa, int size)
        {
            bool ok = (size == 1 || size == 2 || size == 4 || size == 8) && gpa >= Base && gpa - Base + (ulong)size <= (ulong)Bytes.Length;
            if (!ok) Stray++;
            return ok;
        }
    }
}
