// Exception types. There is no unwinder: `throw` reaches RhpThrowEx, which panics with the
// exception's message, the throwing address and a register dump (docs/runtime.md). They exist so
// that code written for .NET (Iced's argument checks) compiles and fails loudly.
namespace System
{
    public class Exception
    {
        internal string _message;
        internal Exception _innerException;

        public Exception() { }
        public Exception(string message) { _message = message; }
        public Exception(string message, Exception innerException) { _message = message; _innerException = innerException; }

        public virtual string Message => _message ?? "Exception";
        public Exception InnerException => _innerException;
    }

    public class SystemException : Exception
    {
        public SystemException() { }
        public SystemException(string message) : base(message) { }
        public SystemException(string message, Exception inner) : base(message, inner) { }
    }

    public class ArgumentException : SystemException
    {
        public ArgumentException() : base("Argument is invalid") { }
        public ArgumentException(string message) : base(message) { }
        public ArgumentException(string message, string paramName) : base(message) { }
        public ArgumentException(string message, Exception inner) : base(message, inner) { }
    }

    public class ArgumentNullException : ArgumentException
    {
        public ArgumentNullException() : base("Argument is null") { }
        public ArgumentNullException(string paramName) : base("Argument is null", paramName) { }
        public ArgumentNullException(string paramName, string message) : base(message, paramName) { }
    }

    public class ArgumentOutOfRangeException : ArgumentException
    {
        public ArgumentOutOfRangeException() : base("Argument out of range") { }
        public ArgumentOutOfRangeException(string paramName) : base("Argument out of range", paramName) { }
        public ArgumentOutOfRangeException(string paramName, string message) : base(message, paramName) { }
        public ArgumentOutOfRangeException(string paramName, object actualValue, string message) : base(message, paramName) { }
    }

    public class InvalidOperationException : SystemException
    {
        public InvalidOperationException() : base("Invalid operation") { }
        public InvalidOperationException(string message) : base(message) { }
        public InvalidOperationException(string message, Exception inner) : base(message, inner) { }
    }

    public class NotSupportedException : SystemException
    {
        public NotSupportedException() : base("Not supported") { }
        public NotSupportedException(string message) : base(message) { }
    }

    public class NotImplementedException : SystemException
    {
        public NotImplementedException() : base("Not implemented") { }
        public NotImplementedException(string message) : base(message) { }
    }

    public class PlatformNotSupportedException : NotSupportedException
    {
        public PlatformNotSupportedException() : base("Not supported on this platform") { }
        public PlatformNotSupportedException(string message) : base(message) { }
    }

    public class IndexOutOfRangeException : SystemException { public IndexOutOfRangeException() : base("Index out of range") { } }
    public class NullReferenceException : SystemException { public NullReferenceException() : base("Null reference") { } }
    public class InvalidCastException : SystemException { public InvalidCastException() : base("Invalid cast") { } public InvalidCastException(string m) : base(m) { } }
    public class ArrayTypeMismatchException : SystemException { public ArrayTypeMismatchException() : base("Array type mismatch") { } }
    public class OverflowException : ArithmeticException { public OverflowException() : base("Arithmetic overflow") { } public OverflowException(string m) : base(m) { } }
    public class ArithmeticException : SystemException { public ArithmeticException() : base("Arithmetic error") { } public ArithmeticException(string m) : base(m) { } }
    public class DivideByZeroException : ArithmeticException { public DivideByZeroException() : base("Division by zero") { } }
    public class OutOfMemoryException : SystemException { public OutOfMemoryException() : base("Out of memory") { } }
    public class FormatException : SystemException { public FormatException() : base("Bad format") { } public FormatException(string m) : base(m) { } }
    public class TypeLoadException : SystemException { public TypeLoadException() : base("Type load failure") { } public TypeLoadException(string m) : base(m) { } }
    public class MissingMemberException : SystemException { public MissingMemberException(string m) : base(m) { } }
    public class KeyNotFoundException : SystemException { public KeyNotFoundException() : base("Key not found") { } }
}
