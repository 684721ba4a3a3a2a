using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.CodeGen;

/// <summary>
/// The IL emitter's per-block users table (IlCompiler.UserLists) is reused from block to block on a thread:
/// each block starts with no users recorded and empty lists, and a block no larger than an earlier one
/// allocates nothing for it.
/// </summary>
public class UserListsTests
{
    [Fact]
    public void Each_block_starts_empty_and_reuses_the_lists_without_allocating()
    {
        var a = new IrInst(IrOp.Const);
        var b = new IrInst(IrOp.Const);
        var users = IlCompiler.UserLists.Begin(8, out var lists);
        (users[3] ??= lists.Next()).Add(a);
        (users[5] ??= lists.Next()).Add(b);
        users[5]!.Add(a);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var again = IlCompiler.UserLists.Begin(6, out var same);
        var first = same.Next();
        var second = same.Next();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.All(again, u => Assert.Null(u));
        Assert.Same(lists, same);
        Assert.Empty(first);
        Assert.Empty(second);
        Assert.NotSame(first, second);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_larger_block_gets_room_for_all_its_values()
    {
        IlCompiler.UserLists.Begin(4, out _);
        var users = IlCompiler.UserLists.Begin(1000, out var lists);
        Assert.True(users.Length >= 1000);
        (users[999] ??= lists.Next()).Add(new IrInst(IrOp.Const));
        Assert.Single(users[999]!);
    }
}
