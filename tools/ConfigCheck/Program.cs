using System;
using System.IO;
using Hv.Config;

namespace Hv.Tools.ConfigCheck
{
    /// <summary>
    /// configcheck FILE [--root DIR]: validates an hv.cfg with the kernel's own parser, then
    /// checks that the files it names exist under DIR (default: the file's directory), which
    /// stands in for the boot volume's root. Exit code 0 valid, 1 invalid, 2 usage or I/O.
    /// </summary>
    static class Program
    {
        const int ExitValid = 0;
        const int ExitInvalid = 1;
        const int ExitUsage = 2;

        static int Main(string[] args)
        {
            string cfgPath = null;
            string root = null;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "-h" || args[i] == "--help")
                {
                    Usage(Console.Out);
                    return ExitValid;
                }
                if (args[i] == "--root" && i + 1 < args.Length && root == null)
                    root = args[++i];
                else if (!args[i].StartsWith('-') && cfgPath == null)
                    cfgPath = args[i];
                else
                    return Usage(Console.Error);
            }
            if (cfgPath == null)
                return Usage(Console.Error);
            if (root == null)
                root = Path.GetDirectoryName(Path.GetFullPath(cfgPath));
            if (!Directory.Exists(root))
                return Fail("root directory '" + root + "' does not exist");

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(cfgPath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Fail("cannot read '" + cfgPath + "': " + e.Message);
            }

            // Messages name the file the way the image does: by its name, not the path typed here.
            string name = Path.GetFileName(cfgPath);
            ConfigResult result = ConfigParser.Parse(name, bytes);
            if (!result.Ok)
                return Invalid(name, result.Errors);
            ConfigError[] fileErrors = result.Config.CheckFiles(new DirectoryProbe(root));
            if (fileErrors.Length > 0)
                return Invalid(name, fileErrors);
            Summary.Print(Console.Out, result.Config);
            return ExitValid;
        }

        static int Invalid(string name, ConfigError[] errors)
        {
            foreach (ConfigError error in errors)
                Console.Error.WriteLine(error.Text);
            Console.Error.WriteLine($"{name}: invalid ({errors.Length} error{(errors.Length == 1 ? "" : "s")})");
            return ExitInvalid;
        }

        static int Fail(string message)
        {
            Console.Error.WriteLine("configcheck: " + message);
            return ExitUsage;
        }

        static int Usage(TextWriter to)
        {
            to.WriteLine("usage: configcheck FILE [--root DIR]");
            to.WriteLine("  Validates a hypervisor configuration (hv.cfg) and checks that the files it");
            to.WriteLine("  names exist under DIR, the stand-in for the boot volume's root (default: the");
            to.WriteLine("  directory of FILE). Exit code: 0 valid, 1 invalid, 2 usage or I/O error.");
            return ExitUsage;
        }
    }

    /// <summary>The boot volume as a host directory. Paths were validated: no '..', no leading '/'.</summary>
    sealed class DirectoryProbe : IFileProbe
    {
        readonly string root;

        public DirectoryProbe(string root)
        {
            this.root = root;
        }

        public bool Exists(string path) => File.Exists(Full(path));

        public long Size(string path)
        {
            FileInfo info = new FileInfo(Full(path));
            return info.Exists ? info.Length : -1;
        }

        string Full(string path) => Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
    }
}
