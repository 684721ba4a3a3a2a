using Emu.IR;
using Emu.Tests.Backend;

namespace Emu.Tests.CodeGen;

/// <summary>
/// Tier 1 computes a value that a SetReg writes straight into that register's local. These blocks write a
/// register while an older value that lives in the same local (computed into it, or read from it) is still
/// used, which must then get a local of its own. Each runs on both tiers with known results.
/// </summary>
public sealed unsafe class RegisterDefinitionTests
{
    private static void RunBoth(Action<IrBuilder> body, Action<IrMachine> check)
    {
        foreach (var tier in IrTestKit.Tiers)
        {
            var block = new IrBlock(0x1000);
            var ir = new IrBuilder(block);
            body(ir);
            ir.Jump(0x2000);
            using var m = new IrMachine();
            m.Ctx->X[1] = 100;
            m.Ctx->X[2] = 2000;
            m.Ctx->X[5] = 50;
            Assert.Equal(0x2000UL, m.Run(block, tier));
            check(m);
        }
    }

    [Fact]
    public void ValueStillUsedWhenALaterValueForTheSameRegisterIsComputed()
    {
        RunBoth(ir =>
        {
            var v = ir.Add(ir.GetReg(1), ir.Const(1));
            ir.SetReg(5, v);
            var w = ir.Add(ir.GetReg(2), ir.Const(2));
            var sum = ir.Add(v, w);
            ir.SetReg(5, w);
            ir.SetReg(6, sum);
        }, m =>
        {
            Assert.Equal(2002UL, m.Ctx->X[5]);
            Assert.Equal(101UL + 2002UL, m.Ctx->X[6]);
        });
    }

    [Fact]
    public void OldRegisterValueUsedAfterTheNewOneIsComputed()
    {
        RunBoth(ir =>
        {
            var old = ir.GetReg(5);
            var v = ir.Add(ir.GetReg(1), ir.Const(1));
            var u = ir.Add(old, ir.Const(3));
            ir.SetReg(5, v);
            ir.SetReg(7, u);
        }, m =>
        {
            Assert.Equal(101UL, m.Ctx->X[5]);
            Assert.Equal(53UL, m.Ctx->X[7]);
        });
    }

    [Fact]
    public void ValueUsedAfterItsRegisterIsOverwritten()
    {
        RunBoth(ir =>
        {
            var v = ir.Add(ir.GetReg(1), ir.Const(1));
            ir.SetReg(5, v);
            ir.SetReg(5, ir.GetReg(2));
            ir.SetReg(6, ir.Add(v, ir.Const(10)));
        }, m =>
        {
            Assert.Equal(2000UL, m.Ctx->X[5]);
            Assert.Equal(111UL, m.Ctx->X[6]);
        });
    }

    [Fact]
    public void RegisterReadBetweenTheDefinitionAndTheWriteSeesTheOldValue()
    {
        RunBoth(ir =>
        {
            var v = ir.Add(ir.GetReg(1), ir.Const(1));
            var old = ir.GetReg(5);
            ir.SetReg(5, v);
            ir.SetReg(6, old);
            ir.SetReg(7, ir.Add(v, ir.GetReg(5)));
        }, m =>
        {
            Assert.Equal(101UL, m.Ctx->X[5]);
            Assert.Equal(50UL, m.Ctx->X[6]);
            Assert.Equal(202UL, m.Ctx->X[7]);
        });
    }
}
