using Emu.Frontend.Translation;
using Emu.IR;

namespace Emu.Tests.IR;

/// <summary>Helper lookup by name: cached per type and name, and still exact about both.</summary>
public class IrHelperTests
{
    private static class OtherHelpers
    {
        // Same name as SimdHelpers.And, different type: must not share its cache entry.
        public static ulong And(ulong a, ulong b) => a & b;
    }

    [Fact]
    public void The_same_type_and_name_give_the_same_helper()
    {
        var first = IrHelper.Get(typeof(SimdHelpers), nameof(SimdHelpers.And));
        Assert.Same(first, IrHelper.Get(typeof(SimdHelpers), nameof(SimdHelpers.And)));
        Assert.Equal(typeof(SimdHelpers), first.Method.DeclaringType);
        Assert.Equal(IrType.V128, first.ResultType);
    }

    [Fact]
    public void A_name_on_another_type_is_another_helper()
    {
        var simd = IrHelper.Get(typeof(SimdHelpers), nameof(SimdHelpers.And));
        var other = IrHelper.Get(typeof(OtherHelpers), nameof(OtherHelpers.And));
        Assert.NotSame(simd, other);
        Assert.Equal(typeof(OtherHelpers), other.Method.DeclaringType);
        Assert.Equal(IrType.I64, other.ResultType);
    }

    [Fact]
    public void A_missing_name_still_fails_every_time()
    {
        Assert.Throws<MissingMethodException>(() => IrHelper.Get(typeof(SimdHelpers), "NoSuchHelper"));
        Assert.Throws<MissingMethodException>(() => IrHelper.Get(typeof(SimdHelpers), "NoSuchHelper"));
    }
}
