using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.Backend;

/// <summary>
/// Calls inside a region (IlCompiler.WithReturnSites): a callee compiled into its caller's region returns with an IL
/// compare against the return sites of the region's calls, and stays in the method; any other return address
/// leaves the region with the registers written back.
/// </summary>
public sealed unsafe class RegionReturnTests
{
    private const ulong Caller = 0x1000, ReturnSite = 0x1008, Callee = 0x3000, Outside = 0x9000;
    private const uint Bl = 0x9400_0800, Blr = 0xD63F_0020, Ret = 0xD65F_03C0, Nop = 0xD503_201F;

    /// <summary>Caller: x1 += 1; x30 = its end; BL Callee (or BLR x1 with <paramref name="indirect"/>: x1 holds Callee then).</summary>
    private static IrBlock CallerBlock(bool indirect)
    {
        var block = new IrBlock(Caller) { EndPc = ReturnSite, GuestWords = [Nop, indirect ? Blr : Bl] };
        var ir = new IrBuilder(block);
        ir.SetReg(5, ir.Add(ir.GetReg(5), ir.Const(1)));
        ir.SetReg(30, ir.Const(ReturnSite));
        if (indirect) ir.JumpIndirect(ir.Const(Callee));
        else ir.Jump(Callee);
        return block;
    }

    /// <summary>Callee: x5 *= 2 (x30 = <paramref name="returnTo"/> when given); RET.</summary>
    private static IrBlock CalleeBlock(ulong? returnTo = null)
    {
        var block = new IrBlock(Callee) { EndPc = Callee + 8, GuestWords = [Nop, Ret] };
        var ir = new IrBuilder(block);
        ir.SetReg(5, ir.Mul(ir.GetReg(5), ir.Const(2)));
        if (returnTo is { } pc) ir.SetReg(30, ir.Const(pc));
        ir.JumpIndirect(ir.GetReg(30));
        return block;
    }

    /// <summary>Return site: x6 = x5 + 5; B Outside.</summary>
    private static IrBlock ReturnSiteBlock()
    {
        var block = new IrBlock(ReturnSite) { EndPc = ReturnSite + 8, GuestWords = [Nop, 0x1400_0000] };
        var ir = new IrBuilder(block);
        ir.SetReg(6, ir.Add(ir.GetReg(5), ir.Const(5)));
        ir.Jump(Outside);
        return block;
    }

    private static IrBlock[] Region(bool indirect, ulong? returnTo = null)
    {
        IrBlock[] blocks = [CallerBlock(indirect), CalleeBlock(returnTo), ReturnSiteBlock()];
        foreach (var b in blocks) b.Verify();
        return blocks;
    }

    // No RET target recorded (a return the prediction always found never misses a link); a BLR's callee is.
    private static ulong[][] Recorded(bool indirect) => [indirect ? [Callee] : [], [], []];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheCalleesReturnAddsTheReturnSiteOfTheCallThatReachesIt(bool indirect)
    {
        var targets = IlCompiler.WithReturnSites(Region(indirect), Recorded(indirect))!;
        Assert.Equal([ReturnSite], targets[1]);
        Assert.Equal(Recorded(indirect)[0], targets[0]);
        Assert.Empty(targets[2]);
    }

    [Fact]
    public void AReturnThatNoCallOfTheRegionReachesGetsNoTargets()
    {
        // The callee is not in the region: its RET (here a block of its own) is not reached from the call.
        var other = new IrBlock(0x5000) { EndPc = 0x5008, GuestWords = [Nop, Ret] };
        var ir = new IrBuilder(other);
        ir.JumpIndirect(ir.GetReg(30));
        IrBlock[] blocks = [CallerBlock(false), ReturnSiteBlock(), other];
        ulong[][] recorded = [[], [], []];
        Assert.Same(recorded, IlCompiler.WithReturnSites(blocks, recorded));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ACalleeInTheRegionReturnsToItsCallerWithoutLeaving(bool indirect)
    {
        var region = IlCompiler.CompileRegionWithEntries(Region(indirect), Recorded(indirect));
        Assert.NotNull(region);
        using var m = new IrMachine();
        m.Ctx->X[5] = 3;
        // One exit, at the return site's branch out: (3 + 1) * 2 + 5.
        Assert.Equal(Outside, region!.Entries[0](m.Ctx));
        Assert.Equal(8UL, m.Ctx->X[5]);
        Assert.Equal(13UL, m.Ctx->X[6]);
        Assert.Equal(ReturnSite, m.Ctx->X[30]);
    }

    [Fact]
    public void AReturnToAnotherAddressLeavesTheRegionWithTheRegistersWrittenBack()
    {
        // The callee changed x30 (a longjmp-like return): the compare fails and the region exits there.
        var region = IlCompiler.CompileRegionWithEntries(Region(false, returnTo: 0x7000), Recorded(false));
        using var m = new IrMachine();
        m.Ctx->X[5] = 3;
        Assert.Equal(0x7000UL, region!.Entries[0](m.Ctx));
        Assert.Equal(8UL, m.Ctx->X[5]);
        Assert.Equal(0UL, m.Ctx->X[6]);
        Assert.Equal(0x7000UL, m.Ctx->X[30]);
    }

    [Fact]
    public void ARegionEnteredAtTheCalleeReturnsIntoTheCallerPart()
    {
        // Entered at the callee (from a call outside): x30 names the region's return site, so it goes on there.
        var region = IlCompiler.CompileRegionWithEntries(Region(false), Recorded(false));
        using var m = new IrMachine();
        m.Ctx->X[5] = 10;
        m.Ctx->X[30] = ReturnSite;
        Assert.Equal(Outside, region!.Entries[1](m.Ctx));
        Assert.Equal(20UL, m.Ctx->X[5]);
        Assert.Equal(25UL, m.Ctx->X[6]);
    }
}
