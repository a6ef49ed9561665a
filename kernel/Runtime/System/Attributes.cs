// Attribute types the C# compiler and ilc look for by name. They carry no behaviour here.
namespace System
{
    public abstract class Attribute { }

    [Flags]
    public enum AttributeTargets
    {
        Assembly = 0x1, Module = 0x2, Class = 0x4, Struct = 0x8, Enum = 0x10, Constructor = 0x20,
        Method = 0x40, Property = 0x80, Field = 0x100, Event = 0x200, Interface = 0x400,
        Parameter = 0x800, Delegate = 0x1000, ReturnValue = 0x2000, GenericParameter = 0x4000, All = 0x7FFF,
    }

    [AttributeUsage(AttributeTargets.Class, Inherited = true)]
    public sealed class AttributeUsageAttribute : Attribute
    {
        public AttributeUsageAttribute(AttributeTargets validOn) { ValidOn = validOn; }
        public AttributeTargets ValidOn { get; }
        public bool AllowMultiple { get; set; }
        public bool Inherited { get; set; }
    }

    public sealed class FlagsAttribute : Attribute { }
    public sealed class ParamArrayAttribute : Attribute { }
    public sealed class SerializableAttribute : Attribute { }
    public sealed class NonSerializedAttribute : Attribute { }
    public sealed class ThreadStaticAttribute : Attribute { }
    public sealed class CLSCompliantAttribute : Attribute { public CLSCompliantAttribute(bool isCompliant) { } }

    public sealed class ObsoleteAttribute : Attribute
    {
        public ObsoleteAttribute() { }
        public ObsoleteAttribute(string message) { }
        public ObsoleteAttribute(string message, bool error) { }
        public string DiagnosticId { get; set; }
        public string UrlFormat { get; set; }
    }
}

namespace System.Reflection
{
    public sealed class DefaultMemberAttribute : Attribute { public DefaultMemberAttribute(string memberName) { } }
    public sealed class AssemblyVersionAttribute : Attribute { public AssemblyVersionAttribute(string version) { } }
    public sealed class AssemblyFileVersionAttribute : Attribute { public AssemblyFileVersionAttribute(string version) { } }
    public sealed class AssemblyInformationalVersionAttribute : Attribute { public AssemblyInformationalVersionAttribute(string v) { } }
    public sealed class AssemblyTitleAttribute : Attribute { public AssemblyTitleAttribute(string title) { } }
    public sealed class AssemblyProductAttribute : Attribute { public AssemblyProductAttribute(string product) { } }
    public sealed class AssemblyCompanyAttribute : Attribute { public AssemblyCompanyAttribute(string company) { } }
    public sealed class AssemblyCopyrightAttribute : Attribute { public AssemblyCopyrightAttribute(string copyright) { } }
    public sealed class AssemblyDescriptionAttribute : Attribute { public AssemblyDescriptionAttribute(string description) { } }
    public sealed class AssemblyConfigurationAttribute : Attribute { public AssemblyConfigurationAttribute(string configuration) { } }
    public sealed class AssemblyMetadataAttribute : Attribute { public AssemblyMetadataAttribute(string key, string value) { } }
}

namespace System.Diagnostics
{
    public sealed class ConditionalAttribute : Attribute { public ConditionalAttribute(string conditionString) { } }
    public sealed class DebuggerDisplayAttribute : Attribute { public DebuggerDisplayAttribute(string value) { } }
    public sealed class DebuggerBrowsableAttribute : Attribute { public DebuggerBrowsableAttribute(DebuggerBrowsableState state) { } }
    public enum DebuggerBrowsableState { Never = 0, Collapsed = 2, RootHidden = 3 }
    public sealed class DebuggerStepThroughAttribute : Attribute { }
    public sealed class DebuggerHiddenAttribute : Attribute { }
    public sealed class DebuggerNonUserCodeAttribute : Attribute { }
    public sealed class StackTraceHiddenAttribute : Attribute { }
    public sealed class DebuggerTypeProxyAttribute : Attribute { public DebuggerTypeProxyAttribute(Type type) { } }

    public sealed class DebuggableAttribute : Attribute
    {
        [Flags]
        public enum DebuggingModes { None = 0, Default = 1, IgnoreSymbolStoreSequencePoints = 2, EnableEditAndContinue = 4, DisableOptimizations = 256 }
        public DebuggableAttribute(DebuggingModes modes) { }
    }

    public static class Debug
    {
        [Conditional("DEBUG")] public static void Assert(bool condition) { }
        [Conditional("DEBUG")] public static void Assert(bool condition, string message) { }
    }
}

namespace System.Diagnostics.CodeAnalysis
{
    public sealed class DoesNotReturnAttribute : Attribute { }
    public sealed class DoesNotReturnIfAttribute : Attribute { public DoesNotReturnIfAttribute(bool parameterValue) { } }
    public sealed class NotNullWhenAttribute : Attribute { public NotNullWhenAttribute(bool returnValue) { } }
    public sealed class MaybeNullWhenAttribute : Attribute { public MaybeNullWhenAttribute(bool returnValue) { } }
    public sealed class NotNullAttribute : Attribute { }
    public sealed class MaybeNullAttribute : Attribute { }
    public sealed class AllowNullAttribute : Attribute { }
    public sealed class DisallowNullAttribute : Attribute { }
    public sealed class ExcludeFromCodeCoverageAttribute : Attribute { }
    public sealed class SuppressMessageAttribute : Attribute { public SuppressMessageAttribute(string category, string checkId) { } public string Justification { get; set; } }
}

namespace System.ComponentModel
{
    public enum EditorBrowsableState { Always = 0, Never = 1, Advanced = 2 }
    public sealed class EditorBrowsableAttribute : Attribute { public EditorBrowsableAttribute(EditorBrowsableState state) { } }
}

namespace System.Security
{
    public sealed class UnverifiableCodeAttribute : Attribute { }
}
