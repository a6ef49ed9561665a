using System;
using System.Collections.Generic;

namespace Hv.Config
{
    /// <summary>
    /// The parser's state across lines: which section is open and what has been set so far.
    /// This file reads lines and section headers; Parser.Keys.cs sets values; Parser.Finish.cs
    /// checks whole sections and builds the result.
    /// Heap use is bounded whatever the input: strings are made only for values set for the
    /// first time (at most 17 sections of a few keys) and for errors (at most 21), and every
    /// header either opens one of those sections or is an error.
    /// </summary>
    internal sealed partial class Parser
    {
        enum Section
        {
            None,
            Hypervisor,
            Vm,
            /// <summary>After a bad or unknown header: its keys are skipped, not reported one by one.</summary>
            Ignored,
        }

        readonly string file;
        readonly ErrorList errors;
        Section section;
        /// <summary>The open header as written, for errors that have no key; allocated once per section.</summary>
        string sectionText;
        VmDraft vm;
        readonly List<VmDraft> vms = new List<VmDraft>();

        internal Parser(string file)
        {
            this.file = file;
            errors = new ErrorList(file);
            hvKeyLines = new int[HvKeys.Length];
        }

        internal bool Full => errors.Full;

        internal ConfigResult TooBig(int length)
        {
            string limit = ConfigLimits.MaxFileBytes.ToString() + " bytes)";
            errors.Add(0, "file", "file is " + length.ToString() + " bytes, too large (the limit is " + limit);
            return new ConfigResult(null, errors.ToArray());
        }

        internal void ParseLine(ReadOnlySpan<byte> raw, int number)
        {
            ReadOnlySpan<byte> line = Ascii.Trim(raw);
            if (line.IsEmpty)
                return;
            bool comment = line[0] == (byte)'#';
            bool header = line[0] == (byte)'[';
            int equals = comment || header ? -1 : Ascii.IndexOf(line, (byte)'=');
            ReadOnlySpan<byte> key = equals < 0 ? default : Ascii.Trim(line.Slice(0, equals));

            // Comments may hold UTF-8; everything the parser reads must be printable ASCII.
            string bad = BadByte(raw, comment);
            if (bad == null && raw.Length > ConfigLimits.MaxLineLength)
                bad = "line is " + raw.Length.ToString() + " characters long; the limit is 4096";
            if (bad != null)
            {
                AddError(number, line, comment, header, equals, key, bad);
                if (header)
                    EnterIgnored(Ascii.Shown(line));
                else if (equals >= 0)
                    MarkSeen(key, number);
                return;
            }
            if (comment)
                return;
            if (header)
                ParseHeader(line, number);
            else if (equals >= 0)
                ParseKey(key, Ascii.Trim(line.Slice(equals + 1)), number);
            else
                AddError(number, line, false, false, -1, key, "expected 'key = value', a [section] header or a # comment");
        }

        /// <summary>
        /// Reports a line-level problem under the best field the line offers: its key, its
        /// header, "comment", or the first word of a line that is none of these.
        /// </summary>
        void AddError(int number, ReadOnlySpan<byte> line, bool comment, bool header, int equals,
            ReadOnlySpan<byte> key, string message)
        {
            string field;
            if (comment)
                field = "comment";
            else if (header)
                field = Ascii.Shown(line);
            else if (equals >= 0)
                field = key.IsEmpty ? SectionField : Ascii.Shown(key);
            else
                field = Ascii.Shown(line.Slice(0, Ascii.WordEnd(line)));
            errors.Add(number, field, message);
        }

        string SectionField => sectionText == null ? "file" : sectionText;

        /// <summary>The first byte the format does not allow on this line, as a message, or null.</summary>
        static string BadByte(ReadOnlySpan<byte> raw, bool comment)
        {
            for (int i = 0; i < raw.Length; i++)
            {
                byte b = raw[i];
                if (b == (byte)'\t' || (b >= 0x20 && b < 0x7F) || (b >= 0x80 && comment))
                    continue;
                string at = " at column " + (i + 1).ToString();
                if (b == 0)
                    return "NUL byte" + at + " is not allowed";
                if (b >= 0x80)
                    return "non-ASCII byte " + Ascii.Hex(b) + at + " (only comments may hold UTF-8)";
                return "control character " + Ascii.Hex(b) + at + " is not allowed";
            }
            return null;
        }

        void ParseHeader(ReadOnlySpan<byte> line, int number)
        {
            CloseSection();
            string text = Ascii.Shown(line);
            if (line[line.Length - 1] != (byte)']')
            {
                bool closed = Ascii.IndexOf(line, (byte)']') >= 0;
                errors.Add(number, text, closed ? "unexpected text after ']'" : "section header is missing ']'");
                EnterIgnored(text);
                return;
            }
            ReadOnlySpan<byte> inner = Ascii.Trim(line.Slice(1, line.Length - 2));
            int wordEnd = Ascii.WordEnd(inner);
            ReadOnlySpan<byte> kind = inner.Slice(0, wordEnd);
            ReadOnlySpan<byte> name = Ascii.Trim(inner.Slice(wordEnd));
            if (Ascii.Is(kind, "hypervisor"))
                EnterHypervisor(name, number, text);
            else if (Ascii.Is(kind, "vm"))
                EnterVm(name, number, text);
            else
            {
                errors.Add(number, text, "unknown section (use [hypervisor] or [vm NAME])");
                EnterIgnored(text);
            }
        }

        void EnterIgnored(string text)
        {
            CloseSection();
            section = Section.Ignored;
            sectionText = text;
        }

        void EnterHypervisor(ReadOnlySpan<byte> name, int number, string text)
        {
            if (hypervisorLine != 0)
            {
                errors.Add(number, text, "duplicate section (first at line " + hypervisorLine.ToString() + ")");
                EnterIgnored(text);
                return;
            }
            if (!name.IsEmpty)
                errors.Add(number, text, "[hypervisor] takes no name");
            hypervisorLine = number;
            section = Section.Hypervisor;
            sectionText = text;
        }

        void EnterVm(ReadOnlySpan<byte> nameText, int number, string text)
        {
            if (vms.Count == ConfigLimits.MaxVms)
            {
                errors.Add(number, text, "too many VMs (the limit is 16)");
                EnterIgnored(text);
                return;
            }
            string problem = Values.VmName(nameText, out string name);
            if (problem != null)
                errors.Add(number, text, problem);
            for (int i = 0; name != null && i < vms.Count; i++)
            {
                if (vms[i].Name == name)
                {
                    string first = "' (first at line " + vms[i].Line.ToString() + ")";
                    errors.Add(number, text, "duplicate VM name '" + name + first);
                }
            }
            // A VM with a bad name is still read, so its keys are checked in the same run.
            vm = new VmDraft(name, number, text, VmKeys.Length);
            vms.Add(vm);
            section = Section.Vm;
            sectionText = text;
        }
    }
}
