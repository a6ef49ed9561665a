using System.Collections.Generic;
using Hv.Virt.Vmx;

namespace Hv.Tests.Unit.Vmx
{
    /// <summary>
    /// An in-memory VMCS. Writes keep only the field's width (SDM "VMWRITE"); writes to read-only
    /// fields are recorded as violations (use <see cref="SetExitInfo"/> to play the CPU); reads of
    /// fields never written are recorded too, because a VMCS region's contents after VMCLEAR are
    /// undefined: setup must write every field VM entry looks at.
    /// </summary>
    internal sealed class FakeVmcs : IVmcs
    {
        private readonly Dictionary<VmcsField, ulong> _fields = new Dictionary<VmcsField, ulong>();
        public readonly HashSet<VmcsField> UnwrittenReads = new HashSet<VmcsField>();
        public readonly List<string> Violations = new List<string>();
        public readonly List<VmcsField> WriteLog = new List<VmcsField>();
        /// <summary>Fields the fake CPU lacks (VMREAD/VMWRITE of them would fail with error 12).</summary>
        public readonly HashSet<VmcsField> Unsupported = new HashSet<VmcsField>();

        public ulong Read(VmcsField field)
        {
            if (Unsupported.Contains(field)) Violations.Add("VMREAD of unsupported field " + field);
            if (_fields.TryGetValue(field, out ulong v)) return v;
            UnwrittenReads.Add(field);
            return 0;
        }

        public void Write(VmcsField field, ulong value)
        {
            if (VmcsFieldInfo.Type(field) == VmcsFieldType.ReadOnlyData) Violations.Add("VMWRITE to read-only field " + field);
            if (Unsupported.Contains(field)) Violations.Add("VMWRITE of unsupported field " + field);
            _fields[field] = value & VmcsFieldInfo.Mask(field);
            WriteLog.Add(field);
        }

        /// <summary>Sets a field as the CPU would (exit information, or a deliberate corruption in a test).</summary>
        public FakeVmcs SetExitInfo(VmcsField field, ulong value)
        {
            _fields[field] = value & VmcsFieldInfo.Mask(field);
            return this;
        }

        public bool Has(VmcsField field) => _fields.ContainsKey(field);

        /// <summary>Reads without recording (for assertions).</summary>
        public ulong Peek(VmcsField field) => _fields.TryGetValue(field, out ulong v) ? v : 0;

        public FakeVmcs Clone()
        {
            var c = new FakeVmcs();
            foreach (var kv in _fields) c._fields[kv.Key] = kv.Value;
            foreach (var f in Unsupported) c.Unsupported.Add(f);
            return c;
        }
    }
}
