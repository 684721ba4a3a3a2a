using Emu.IR;

namespace Emu.Tests.IR;

/// <summary>The op table is sized without reflection (IrOpInfo.Count); it must still cover every op.</summary>
public class IrOpTableTests
{
    [Fact]
    public void Count_is_one_past_the_largest_op()
    {
        var ops = Enum.GetValues<IrOp>();
        Assert.Equal(IrOpInfo.Count, ops.Length);
        Assert.Equal(IrOpInfo.Count - 1, (int)ops.Max());
    }

    [Fact]
    public void Every_op_has_an_entry()
    {
        // An op the table builder forgot keeps the default entry, whose operand list is null.
        foreach (var op in Enum.GetValues<IrOp>())
            Assert.True(IrOpInfo.Of(op).Operands != null, $"{op} has no IrOpInfo entry");
    }
}
