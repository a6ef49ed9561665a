using System;
using System.Collections.Generic;

namespace Hv.Config
{
    /// <summary>
    /// The devices value: comma-separated entries from a fixed set, blanks around entries
    /// ignored. Only virtio-blk takes an argument (its disk image) and may repeat; every other
    /// device exists once per VM.
    /// </summary>
    internal static class DeviceList
    {
        /// <summary>Parses into the list; returns null or the message of the first bad entry.</summary>
        internal static string Parse(ReadOnlySpan<byte> s, List<DeviceConfig> into)
        {
            int start = 0;
            for (int i = 0; i <= s.Length; i++)
            {
                if (i < s.Length && s[i] != (byte)',')
                    continue;
                string problem = ParseEntry(Ascii.Trim(s.Slice(start, i - start)), into);
                if (problem != null)
                    return problem;
                start = i + 1;
            }
            return null;
        }

        static string ParseEntry(ReadOnlySpan<byte> entry, List<DeviceConfig> into)
        {
            if (entry.IsEmpty)
                return "empty entry in the device list";
            if (into.Count == ConfigLimits.MaxDevices)
                return "more than 16 devices";
            int colon = Ascii.IndexOf(entry, (byte)':');
            ReadOnlySpan<byte> name = colon < 0 ? entry : Ascii.Trim(entry.Slice(0, colon));
            int kind = Ascii.Find(name, ConfigNames.Devices);
            if (kind < 0)
                return Ascii.Quoted(name) + " is not a device (use " + Known() + ")";
            if ((DeviceKind)kind != DeviceKind.VirtioBlk)
            {
                if (colon >= 0)
                    return Ascii.Quoted(entry) + " takes no argument";
                for (int i = 0; i < into.Count; i++)
                {
                    if (into[i].Kind == (DeviceKind)kind)
                        return Ascii.Quoted(name) + " is listed twice";
                }
                into.Add(new DeviceConfig((DeviceKind)kind, null));
                return null;
            }
            if (colon < 0)
                return "'virtio-blk' needs a disk image (virtio-blk:PATH)";
            string problem = Values.Path(Ascii.Trim(entry.Slice(colon + 1)), out string path);
            if (problem != null)
                return "virtio-blk " + problem;
            for (int i = 0; i < into.Count; i++)
            {
                // Two devices over one image would corrupt it as soon as both are written.
                if (into[i].Path != null && into[i].Path == path)
                    return "disk image '" + path + "' is listed twice";
            }
            into.Add(new DeviceConfig(DeviceKind.VirtioBlk, path));
            return null;
        }

        /// <summary>The accepted entries as a user writes them, virtio-blk with its argument.</summary>
        static string Known()
        {
            string[] forms = new string[ConfigNames.Devices.Length];
            for (int i = 0; i < forms.Length; i++)
            {
                string name = ConfigNames.Devices[i];
                forms[i] = (DeviceKind)i == DeviceKind.VirtioBlk ? name + ":PATH" : name;
            }
            return ConfigNames.Choices(forms);
        }
    }
}
