// Reads hv.cfg and every file it names from the boot volume, before ExitBootServices.
// All or nothing: when any error is found, no file is kept and no VM will start.
using Hv.Boot.Uefi;
using Hv.Config;
using Hv.Diagnostics;
using Hv.Drivers.Serial;

namespace Hv.Boot
{
    internal static unsafe class ConfigLoader
    {
        public const string FileName = "hv.cfg";

        public static void Load(HandOff h, Uart16550 uart)
        {
            var errors = new System.Collections.Generic.List<ConfigError>();
            BootVolume volume = BootVolume.Open();
            if (volume == null || !volume.ReadFile(FileName, out ulong addr, out long size))
            {
                errors.Add(new ConfigError(FileName, 0, FileName, "file not found on the boot volume (see docs/config.md)"));
                Finish(h, null, errors);
                return;
            }
            if (size > ConfigLimits.MaxFileBytes) size = ConfigLimits.MaxFileBytes + 1; // the parser reports it
            var text = new System.ReadOnlySpan<byte>((void*)addr, (int)size);
            h.EarlyOnExit = OnExitPeek.Find(text);
            ConfigResult result = ConfigParser.Parse(FileName, text);
            HvConfig cfg = result.Config;
            AddAll(errors, result.Errors);
            if (cfg != null)
            {
                Log.Level = cfg.LogLevel;
                ApplySerial(cfg, uart);
                h.EarlyOnExit = cfg.OnExit;
                AddAll(errors, cfg.CheckFiles(volume));
            }
            LoadedFile[] files = null;
            if (cfg != null && errors.Count == 0)
            {
                files = new LoadedFile[cfg.Files.Length];
                for (int i = 0; i < cfg.Files.Length; i++)
                {
                    NamedFile nf = cfg.Files[i];
                    if (!volume.ReadFile(nf.Path, out ulong a, out long n))
                    {
                        errors.Add(ConfigMessages.Unreadable(nf, "read error or out of memory"));
                        break;
                    }
                    files[i] = new LoadedFile { Path = nf.Path, Address = a, Size = n };
                    Log.Info("boot: loaded " + nf.Path + " (" + n.ToString() + " bytes) at " + BootStage.Hex(a));
                }
            }
            Finish(h, errors.Count == 0 ? cfg : null, errors);
            if (errors.Count == 0) h.Files = files;
        }

        /// <summary>The console the config asks for: COM1 (already on) at its rate, COM2, or none.</summary>
        private static void ApplySerial(HvConfig cfg, Uart16550 uart)
        {
            if (cfg.Serial == SerialPort.Com1)
            {
                if (cfg.Baud != 115200) uart.Initialize(cfg.Baud);
                return;
            }
            Log.Info("console: moving to " + ConfigNames.Name(cfg.Serial) + " as " + FileName + " asks");
            Log.RemoveSink(uart);
            if (cfg.Serial == SerialPort.Com2)
            {
                var com2 = new Uart16550(Uart16550.Com2);
                com2.Initialize(cfg.Baud);
                Log.AddSink(com2);
            }
        }

        private static void Finish(HandOff h, HvConfig cfg, System.Collections.Generic.List<ConfigError> errors)
        {
            h.Config = cfg;
            h.ConfigErrors = errors.ToArray();
            for (int i = 0; i < h.ConfigErrors.Length; i++) Log.Error("CONFIG ERROR: " + h.ConfigErrors[i].Text);
            if (cfg != null)
                Log.Info("config: " + FileName + " valid: " + cfg.Vms.Length.ToString() + " VM(s), log level " + ConfigNames.Name(cfg.LogLevel));
        }

        private static void AddAll(System.Collections.Generic.List<ConfigError> list, ConfigError[] items)
        {
            if (items == null) return;
            for (int i = 0; i < items.Length; i++) list.Add(items[i]);
        }
    }
}
