using System;
using System.Collections.Generic;
using System.Text;
using Hv.Config;
using Xunit;

namespace Hv.Tests.Config
{
    /// <summary>Shorthands: parse text as hv.cfg and get the config or the printed error lines.</summary>
    static class Cfg
    {
        /// <summary>Latin-1 keeps every char 0-255 as one byte, so tests can write any byte in a string.</summary>
        internal static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

        internal static ConfigResult Parse(string text) => ConfigParser.Parse("hv.cfg", Bytes(text));

        internal static HvConfig Ok(string text)
        {
            ConfigResult result = Parse(text);
            Assert.True(result.Ok, "unexpected errors:\n" + string.Join("\n", Texts(result.Errors)));
            Assert.Empty(result.Errors);
            return result.Config;
        }

        internal static string[] Errors(string text)
        {
            ConfigResult result = Parse(text);
            Assert.False(result.Ok);
            Assert.Null(result.Config);
            Assert.NotEmpty(result.Errors);
            return Texts(result.Errors);
        }

        /// <summary>The single error of a file that must have exactly one.</summary>
        internal static string Error(string text)
        {
            string[] errors = Errors(text);
            Assert.True(errors.Length == 1, "expected one error, got:\n" + string.Join("\n", errors));
            return errors[0];
        }

        internal static string[] Texts(ConfigError[] errors)
        {
            string[] texts = new string[errors.Length];
            for (int i = 0; i < errors.Length; i++)
                texts[i] = errors[i].Text;
            return texts;
        }

        /// <summary>
        /// A valid one-VM file with the given line as line 2, so a test of one key's value reads
        /// "hv.cfg:2: KEY: ...". Required keys the line does not set are added after it.
        /// </summary>
        internal static string VmWith(string line)
        {
            string text = "[vm a]\n" + line + "\n";
            if (!line.TrimStart().StartsWith("memory"))
                text += "memory = 64M\n";
            if (!line.TrimStart().StartsWith("kernel"))
                text += "kernel = k\n";
            return text;
        }

        /// <summary>Like VmWith, for a [hypervisor] line.</summary>
        internal static string HvWith(string line) => "[hypervisor]\n" + line + "\n";
    }

    /// <summary>A boot volume made of a table of path -> size (-1: size unknown).</summary>
    sealed class FakeVolume : IFileProbe
    {
        readonly Dictionary<string, long> files = new Dictionary<string, long>();
        internal readonly List<string> Asked = new List<string>();

        internal FakeVolume With(string path, long size)
        {
            files[path] = size;
            return this;
        }

        public bool Exists(string path)
        {
            Asked.Add(path);
            return files.ContainsKey(path);
        }

        public long Size(string path) => files.TryGetValue(path, out long size) ? size : -1;
    }
}
