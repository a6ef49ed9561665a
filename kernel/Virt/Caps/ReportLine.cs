namespace Hv.Virt.Caps
{
    /// <summary>
    /// Builds one "prefix: key=value key=value" line in a growable char buffer: string '+' with more
    /// than four operands needs Concat overloads the kernel corelib lacks (docs/runtime.md).
    /// </summary>
    internal sealed class ReportLine
    {
        private char[] _buf = new char[256];
        private int _len;

        public ReportLine(string prefix) { Append(prefix); }

        public ReportLine Append(string s)
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

        /// <summary>Appends " key=value".</summary>
        public ReportLine Field(string key, string value) => Append(" ").Append(key).Append("=").Append(value);

        public ReportLine Flag(string key, bool value) => Field(key, value ? "yes" : "no");

        public ReportLine Decimal(string key, ulong value) => Field(key, value.ToString());

        /// <summary>Appends " key=0x..." with at least <paramref name="minDigits"/> hex digits.</summary>
        public ReportLine HexValue(string key, ulong value, int minDigits) => Field(key, Hex.Format(value, minDigits));

        /// <summary>Appends " key=\"value\"".</summary>
        public ReportLine Quoted(string key, string value) => Append(" ").Append(key).Append("=\"").Append(value).Append("\"");

        public override string ToString() => new string(_buf, 0, _len);
    }
}
