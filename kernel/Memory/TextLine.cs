namespace Hv.Memory
{
    /// <summary>
    /// Builds one log line in a growable char buffer: the kernel corelib has no string.Format and
    /// '+' only concatenates up to four strings (docs/runtime.md). For rare log lines only: it allocates.
    /// </summary>
    internal sealed class TextLine
    {
        private char[] _buf = new char[128];
        private int _len;

        public TextLine(string start) { Append(start); }

        public TextLine Append(string s)
        {
            if (_len + s.Length > _buf.Length)
            {
                int size = _buf.Length * 2;
                while (size < _len + s.Length)
                    size *= 2;
                char[] bigger = new char[size];
                for (int i = 0; i < _len; i++)
                    bigger[i] = _buf[i];
                _buf = bigger;
            }
            for (int i = 0; i < s.Length; i++)
                _buf[_len++] = s[i];
            return this;
        }

        public TextLine Decimal(ulong value) => Append(value.ToString());

        public TextLine Hex(ulong value) => Append(AddressMath.Hex(value));

        /// <summary>A size given in 4 KiB pages: "N MiB", or "N KiB" below one MiB ("0 MiB" for none).</summary>
        public TextLine Pages(ulong pages)
        {
            if (pages != 0 && pages < 256)
                return Decimal(pages * 4).Append(" KiB");
            return Decimal(pages >> 8).Append(" MiB");
        }

        public override string ToString() => new string(_buf, 0, _len);
    }
}
