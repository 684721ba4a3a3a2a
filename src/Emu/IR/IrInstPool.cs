namespace Emu.IR;

/// <summary>
/// Reused ops for IR that lives only while a block is prepared for the cold tier: translating tens of
/// thousands of blocks at start-up would otherwise allocate (and the GC trace and promote) every op anew.
/// One pool per thread; <see cref="Reset"/> makes every op handed out before it invalid.
/// </summary>
public sealed class IrInstPool
{
    private IrInst[] _insts = new IrInst[256];
    private int _used, _created;

    /// <summary>The list transient blocks hold their ops in (reused too; cleared by <see cref="Reset"/>).</summary>
    public List<IrInst> List { get; } = new(256);

    /// <summary>Makes every op rented so far free again (and the list empty).</summary>
    public void Reset()
    {
        _used = 0;
        List.Clear();
    }

    /// <summary>An op with <paramref name="op"/> and every other field at its default.</summary>
    public IrInst Rent(IrOp op)
    {
        if (_used < _created)
        {
            var inst = _insts[_used++];
            inst.Op = op;
            inst.Size = 64;
            inst.A = inst.B = inst.C = null;
            inst.Imm = inst.Imm2 = inst.Imm3 = 0;
            inst.Helper = null;
            inst.Args = null;
            inst.GuestPc = 0;
            inst.Index = 0;
            inst.Replacement = null;
            inst.Marked = false;
            return inst;
        }
        if (_created == _insts.Length) Array.Resize(ref _insts, _insts.Length * 2);
        var fresh = new IrInst(op);
        _insts[_created++] = fresh;
        _used++;
        return fresh;
    }
}
