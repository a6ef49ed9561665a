using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using Hv.Config;
using Xunit;

namespace Hv.Tests.Config
{
    /// <summary>
    /// Keeps docs/config.md honest: every ```ini example parses, an ```ini invalid example gives
    /// exactly the ```text block after it, and the file-check messages shown are real.
    /// </summary>
    public class ConfigDocsTests
    {
        [Fact]
        public void ValidExamplesParse()
        {
            List<string> valid = Blocks("ini");
            Assert.True(valid.Count >= 2, "expected at least two examples");
            foreach (string example in valid)
                Cfg.Ok(example);
        }

        [Fact]
        public void InvalidExampleGivesTheDocumentedErrors()
        {
            // The invalid example and the ```text block right after it.
            List<string> blocks = Blocks("ini invalid", "text");
            List<string> invalid = Blocks("ini invalid");
            Assert.Single(invalid);
            int at = blocks.IndexOf(invalid[0]);
            Assert.True(at + 1 < blocks.Count, "no ```text block after the invalid example");
            string[] expected = blocks[at + 1].TrimEnd('\n').Split('\n');
            Assert.Equal(expected, Cfg.Errors(invalid[0]));
        }

        [Fact]
        public void DocumentedFileMessagesAreReal()
        {
            string doc = File.ReadAllText(DocPath());
            HvConfig first = Cfg.Ok(Blocks("ini")[0]);
            FakeVolume volume = new FakeVolume().With("guests/linux/bzImage", 1 << 20).With("disks/web.img", 1000);
            ConfigError[] errors = first.CheckFiles(volume);
            Assert.Equal(2, errors.Length);
            foreach (ConfigError e in errors)
                Assert.Contains(e.Text + "\n", doc);
        }

        /// <summary>The bodies of fenced blocks whose info string is one of the given ones, in order.</summary>
        static List<string> Blocks(params string[] infos)
        {
            List<string> blocks = new List<string>();
            string[] lines = File.ReadAllText(DocPath()).Replace("\r\n", "\n").Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("```") || Array.IndexOf(infos, lines[i].Substring(3)) < 0)
                    continue;
                string body = "";
                for (i++; i < lines.Length && lines[i] != "```"; i++)
                    body += lines[i] + "\n";
                blocks.Add(body);
            }
            return blocks;
        }

        /// <summary>Found from this source file's place in the repo, else from the test binary's.</summary>
        static string DocPath([CallerFilePath] string source = "")
        {
            foreach (string start in new[] { Path.GetDirectoryName(source), AppContext.BaseDirectory })
            {
                for (DirectoryInfo dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    string path = Path.Combine(dir.FullName, "docs", "config.md");
                    if (File.Exists(path))
                        return path;
                }
            }
            throw new FileNotFoundException("docs/config.md not found above " + source);
        }
    }
}
