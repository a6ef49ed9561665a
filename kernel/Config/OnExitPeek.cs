namespace Hv.Config
{
    /// <summary>
    /// Finds `on_exit = debug-exit` in the [hypervisor] section of a file that may be invalid.
    /// It is the one setting honoured without a valid file: it only says what to do after the
    /// hypervisor has stopped, so a test harness (or a remote console) sees the end of a run that
    /// failed on its configuration instead of waiting for a timeout. Nothing else is applied.
    /// </summary>
    public static class OnExitPeek
    {
        public static OnExit Find(System.ReadOnlySpan<byte> text)
        {
            bool inHypervisor = false;
            int start = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && text[i] != (byte)'\n') continue;
                System.ReadOnlySpan<byte> line = Trim(text.Slice(start, i - start));
                start = i + 1;
                if (line.Length > 0 && line[0] == (byte)'[')
                    inHypervisor = Equals(line, "[hypervisor]");
                else if (inHypervisor && StartsWithKey(line, out System.ReadOnlySpan<byte> value) && Equals(value, "debug-exit"))
                    return OnExit.DebugExit;
            }
            return OnExit.Halt;
        }

        private static bool StartsWithKey(System.ReadOnlySpan<byte> line, out System.ReadOnlySpan<byte> value)
        {
            value = default;
            const string key = "on_exit";
            if (line.Length < key.Length) return false;
            for (int i = 0; i < key.Length; i++) if (line[i] != (byte)key[i]) return false;
            System.ReadOnlySpan<byte> rest = Trim(line.Slice(key.Length));
            if (rest.Length == 0 || rest[0] != (byte)'=') return false;
            value = Trim(rest.Slice(1));
            return true;
        }

        private static System.ReadOnlySpan<byte> Trim(System.ReadOnlySpan<byte> s)
        {
            int a = 0, b = s.Length;
            while (a < b && (s[a] == (byte)' ' || s[a] == (byte)'\t')) a++;
            while (b > a && (s[b - 1] == (byte)' ' || s[b - 1] == (byte)'\t' || s[b - 1] == (byte)'\r')) b--;
            return s.Slice(a, b - a);
        }

        private static bool Equals(System.ReadOnlySpan<byte> s, string word)
        {
            if (s.Length != word.Length) return false;
            for (int i = 0; i < word.Length; i++) if (s[i] != (byte)word[i]) return false;
            return true;
        }
    }
}
