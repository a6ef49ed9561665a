using Xunit;

namespace Hv.Integration.Harness;

// xunit runs the tests of one collection one after another and different collections in
// parallel: QEMU boots never overlap each other, Bochs boots never overlap each other, and one
// QEMU boot may run beside one Bochs boot (two cores on CI).

[CollectionDefinition(Name)]
public sealed class QemuCollection
{
    public const string Name = "QEMU";
}

[CollectionDefinition(Name)]
public sealed class BochsCollection
{
    public const string Name = "Bochs";
}
