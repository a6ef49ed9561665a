// Throw sites shared by the corelib (kept out of line so callers stay small). Each `throw` ends
// in RhpThrowEx, i.e. a panic with a register dump.
using System;

namespace Internal.Runtime.Kernel
{
    internal static class ThrowHelpers
    {
        internal static void ThrowIndexOutOfRangeException() => throw new IndexOutOfRangeException();
        internal static void ThrowArgumentOutOfRangeException() => throw new ArgumentOutOfRangeException();
        internal static void ThrowArgumentNullException() => throw new ArgumentNullException();
        internal static void ThrowArgumentException() => throw new ArgumentException();
        internal static void ThrowOverflowException() => throw new OverflowException();
        internal static void ThrowInvalidOperationException() => throw new InvalidOperationException();
        internal static void ThrowInvalidCastException() => throw new InvalidCastException();
        internal static void ThrowArrayTypeMismatchException() => throw new ArrayTypeMismatchException();
    }
}

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>Helpers that ilc-generated code calls for failed checks (names and signatures are ilc's).</summary>
    internal static class ThrowHelpers
    {
        private static void ThrowOverflowException() => throw new OverflowException();
        private static void ThrowIndexOutOfRangeException() => throw new IndexOutOfRangeException();
        private static void ThrowNullReferenceException() => throw new NullReferenceException();
        private static void ThrowDivideByZeroException() => throw new DivideByZeroException();
        private static void ThrowArrayTypeMismatchException() => throw new ArrayTypeMismatchException();
        private static void ThrowPlatformNotSupportedException() => throw new PlatformNotSupportedException();
        private static void ThrowNotImplementedException() => throw new NotImplementedException();
        private static void ThrowNotSupportedException() => throw new NotSupportedException();
        private static void ThrowArgumentException() => throw new ArgumentException();
        private static void ThrowArgumentOutOfRangeException() => throw new ArgumentOutOfRangeException();
        private static void ThrowInvalidProgramException(ExceptionStringID id) => throw new InvalidOperationException("invalid program");
        private static void ThrowInvalidProgramExceptionWithArgument(ExceptionStringID id, string methodName) => throw new InvalidOperationException("invalid program: " + methodName);
        private static void ThrowTypeLoadException(ExceptionStringID id, string className, string typeName) => throw new TypeLoadException("type load failure: " + typeName);
        private static void ThrowTypeLoadExceptionWithArgument(ExceptionStringID id, string className, string typeName, string messageArg) => throw new TypeLoadException("type load failure: " + typeName + " " + messageArg);
        private static void ThrowMissingMethodException(ExceptionStringID id, string methodName) => throw new MissingMemberException("missing method: " + methodName);
        private static void ThrowMissingFieldException(ExceptionStringID id, string fieldName) => throw new MissingMemberException("missing field: " + fieldName);
        private static void ThrowFileNotFoundException(ExceptionStringID id, string fileName) => throw new InvalidOperationException("file not found: " + fileName);
        private static void ThrowBadImageFormatException(ExceptionStringID id) => throw new InvalidOperationException("bad image format");
        private static void ThrowMarshalDirectiveException(ExceptionStringID id) => throw new InvalidOperationException("marshal directive");
        private static void ThrowAmbiguousMatchException(ExceptionStringID id) => throw new InvalidOperationException("ambiguous match");
        private static void ThrowNotSupportedInlineArrayEqualsGetHashCode() => throw new NotSupportedException();
        private static void ThrowInvalidCastException() => throw new InvalidCastException();
        private static void ThrowFeatureBodyRemoved() => throw new NotSupportedException("code removed by the compiler (feature switch)");
    }

    internal enum ExceptionStringID { }
}

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>ldtoken support (ilc's contract): handles are the addresses ilc hands in.</summary>
    internal static unsafe class LdTokenHelpers
    {
        private static System.RuntimeTypeHandle GetRuntimeTypeHandle(nint pEEType) => new System.RuntimeTypeHandle((MethodTable*)pEEType);
        private static System.RuntimeMethodHandle GetRuntimeMethodHandle(nint pHandleSignature) => System.Runtime.CompilerServices.Unsafe.As<nint, System.RuntimeMethodHandle>(ref pHandleSignature);
        private static System.RuntimeFieldHandle GetRuntimeFieldHandle(nint pHandleSignature) => System.Runtime.CompilerServices.Unsafe.As<nint, System.RuntimeFieldHandle>(ref pHandleSignature);
        private static System.Type GetRuntimeType(nint pEEType) => System.Type.GetTypeFromHandle(new System.RuntimeTypeHandle((MethodTable*)pEEType));
    }
}
