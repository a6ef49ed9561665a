using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;
using Hv.Config;
using Xunit;

namespace Hv.Tests.Config
{
    /// <summary>
    /// kernel/Config also compiles into the image against the project's own corelib, which has
    /// only the members docs/runtime.md lists. This test reads the IL of every Hv.Config method
    /// in the host build and fails on any call outside that list, and on any throw, so a slip
    /// (a five-part string concatenation, a MemoryExtensions helper, an interpolated string) is
    /// caught here rather than by the image link.
    /// </summary>
    public class ConfigSubsetTests
    {
        static readonly HashSet<string> Allowed = new HashSet<string>
        {
            "System.Object::.ctor()",
            "System.String::get_Length()", "System.String::get_Chars(Int32)",
            "System.String::op_Equality(String,String)", "System.String::op_Inequality(String,String)",
            "System.String::Concat(String,String)", "System.String::Concat(String,String,String)",
            "System.String::Concat(String,String,String,String)",
            "System.String::Substring(Int32)", "System.String::Substring(Int32,Int32)",
            "System.String::.ctor(ReadOnlySpan`1)", "System.String::.ctor(Char[],Int32,Int32)",
            "System.String::Equals(String,String)", "System.String::IsNullOrEmpty(String)",
            "System.MemoryExtensions::AsSpan(String)",
            "System.Int32::ToString()", "System.UInt32::ToString()", "System.Int64::ToString()", "System.UInt64::ToString()",
            "System.Collections.Generic.List`1::.ctor()", "System.Collections.Generic.List`1::Add(T)",
            "System.Collections.Generic.List`1::get_Count()", "System.Collections.Generic.List`1::get_Item(Int32)",
            "System.Collections.Generic.List`1::set_Item(Int32,T)", "System.Collections.Generic.List`1::Clear()",
            "System.Collections.Generic.List`1::ToArray()",
            "System.ReadOnlySpan`1::get_Item(Int32)", "System.ReadOnlySpan`1::get_Length()",
            "System.ReadOnlySpan`1::get_IsEmpty()", "System.ReadOnlySpan`1::Slice(Int32)",
            "System.ReadOnlySpan`1::Slice(Int32,Int32)", "System.ReadOnlySpan`1::.ctor(T[])",
            "System.ReadOnlySpan`1::.ctor(Void*,Int32)", "System.ReadOnlySpan`1::op_Implicit(T[])",
            "System.Span`1::get_Item(Int32)", "System.Span`1::get_Length()", "System.Span`1::get_IsEmpty()",
            "System.Span`1::Slice(Int32)", "System.Span`1::Slice(Int32,Int32)", "System.Span`1::.ctor(T[])",
            "System.Span`1::.ctor(Void*,Int32)", "System.Span`1::op_Implicit(T[])", "System.Span`1::op_Implicit(Span`1)",
            "System.Math::Max(Int32,Int32)", "System.Math::Min(Int32,Int32)",
        };

        [Fact]
        public void ConfigCodeUsesOnlyTheKernelCorelibSubset()
        {
            Assembly assembly = typeof(ConfigParser).Assembly;
            List<string> violations = new List<string>();
            int methods = 0;
            foreach (Type type in assembly.GetTypes())
            {
                if (type.Namespace != "Hv.Config")
                    continue;
                foreach (MethodBase method in MethodsOf(type))
                {
                    byte[] il = method.GetMethodBody()?.GetILAsByteArray();
                    if (il == null)
                        continue;
                    methods++;
                    Scan(assembly, type, method, il, violations);
                }
            }
            Assert.True(methods > 50, "found only " + methods + " methods to scan");
            Assert.True(violations.Count == 0, string.Join("\n", violations));
        }

        static IEnumerable<MethodBase> MethodsOf(Type type)
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (MethodInfo m in type.GetMethods(all))
                yield return m;
            foreach (ConstructorInfo c in type.GetConstructors(all))
                yield return c;
        }

        static void Scan(Assembly assembly, Type type, MethodBase method, byte[] il, List<string> violations)
        {
            string where = type.Name + "." + method.Name + ": ";
            int i = 0;
            while (i < il.Length)
            {
                OpCode op = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
                if (op.Size == 0)
                {
                    violations.Add(where + "unknown opcode at IL offset " + i);
                    return;
                }
                i += op.Size;
                if (op == OpCodes.Throw || op == OpCodes.Rethrow)
                    violations.Add(where + "throws (a throw panics the image)");
                if (op.OperandType == OperandType.InlineMethod || op.OperandType == OperandType.InlineField)
                {
                    int token = BitConverter.ToInt32(il, i);
                    MemberInfo member = method.Module.ResolveMember(token,
                        type.IsGenericType ? type.GetGenericArguments() : null,
                        method.IsGenericMethod ? method.GetGenericArguments() : null);
                    if (member.DeclaringType != null && member.DeclaringType.Assembly != assembly)
                    {
                        string key = member is MethodBase m ? Key(m) : member.DeclaringType.FullName + "::" + member.Name;
                        if (!Allowed.Contains(key))
                            violations.Add(where + key);
                    }
                }
                i += OperandSize(op.OperandType, il, i);
            }
        }

        /// <summary>"Type::Name(ParamTypes)" on the generic definitions, e.g. "System.Collections.Generic.List`1::Add(T)".</summary>
        static string Key(MethodBase m)
        {
            MethodBase definition = m.DeclaringType.IsGenericType ? m.Module.ResolveMethod(m.MetadataToken) : m;
            if (definition is MethodInfo info && info.IsGenericMethod)
                definition = info.GetGenericMethodDefinition();
            Type declaring = definition.DeclaringType;
            List<string> parameters = new List<string>();
            foreach (ParameterInfo p in definition.GetParameters())
                parameters.Add(p.ParameterType.Name);
            return declaring.FullName + "::" + definition.Name + "(" + string.Join(",", parameters) + ")";
        }

        static int OperandSize(OperandType type, byte[] il, int at)
        {
            switch (type)
            {
                case OperandType.InlineNone: return 0;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar: return 1;
                case OperandType.InlineVar: return 2;
                case OperandType.InlineI8:
                case OperandType.InlineR: return 8;
                case OperandType.InlineSwitch: return 4 + 4 * BitConverter.ToInt32(il, at);
                default: return 4;
            }
        }

        static readonly OpCode[] OneByte = new OpCode[256];
        static readonly OpCode[] TwoByte = new OpCode[256];

        static ConfigSubsetTests()
        {
            foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                OpCode op = (OpCode)field.GetValue(null);
                ushort value = (ushort)op.Value;
                if (op.Size == 1)
                    OneByte[value] = op;
                else
                    TwoByte[value & 0xFF] = op;
            }
        }
    }
}
