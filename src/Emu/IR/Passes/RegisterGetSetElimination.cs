using System.Runtime.InteropServices;
namespace Emu.IR.Passes;

/// <summary>
/// Within a block: a read of guest state after a write (or a read) of it uses the known value; a write
/// overwritten later with no read of the context in between is dropped. Covers X registers and SP,
/// NZCV, the system registers and the vector registers. A helper that takes the CpuContext* may read
/// or write any of them, so it ends what is known and makes every pending write needed.
/// </summary>
public static class RegisterGetSetElimination
{
    // Keys: X0..X30 and SP, NZCV, the four SysReg values, V0..V31.
    private const int FlagsKey = 32, SysKey = 33, SysCount = 4, VecKey = SysKey + SysCount, Keys = VecKey + 32;

    private const int FpcrKey = SysKey + (int)Emu.Cpu.SysReg.Fpcr, FpsrKey = SysKey + (int)Emu.Cpu.SysReg.Fpsr;

    private static int KeyOf(IrInst inst) => inst.Op switch
    {
        IrOp.GetReg or IrOp.SetReg => (int)inst.Imm,
        IrOp.GetFlags or IrOp.SetFlags => FlagsKey,
        IrOp.GetSys or IrOp.SetSys => SysKey + (int)inst.Imm,
        IrOp.GetVec or IrOp.SetVec => VecKey + (int)inst.Imm,
        _ => -1,
    };

    // Per thread, cleared after each block: this pass runs for every translated block.
    [ThreadStatic] private static IrInst?[]? t_known, t_pendingWrite;

    public static void Run(IrBlock block)
    {
        var known = t_known ??= new IrInst?[Keys];
        var pendingWrite = t_pendingWrite ??= new IrInst?[Keys];
        try
        {
            Run(block, known, pendingWrite);
        }
        finally
        {
            // Cleared, not kept: stale ops would stay reachable and the next block would see them.
            Array.Clear(known);
            Array.Clear(pendingWrite);
        }
    }

    private static void Run(IrBlock block, IrInst?[] known, IrInst?[] pendingWrite)
    {
        // Marked: removed.
        PassSupport.ResetScratch(block.Insts);
        bool anyRemoved = false;
        foreach (var inst in CollectionsMarshal.AsSpan(block.Insts))
        {
            PassSupport.Remap(inst);
            switch (inst.Op)
            {
                case IrOp.GetReg or IrOp.GetFlags or IrOp.GetSys or IrOp.GetVec:
                    {
                        int key = KeyOf(inst);
                        if (known[key] is { } value)
                        {
                            inst.Replacement = value;
                            inst.Marked = anyRemoved = true;
                        }
                        else known[key] = inst;
                        break;
                    }
                case IrOp.SetReg or IrOp.SetFlags or IrOp.SetSys or IrOp.SetVec:
                    {
                        int key = KeyOf(inst);
                        if (pendingWrite[key] is { } dead) dead.Marked = anyRemoved = true;
                        pendingWrite[key] = inst;
                        known[key] = inst.A;
                        break;
                    }
                case IrOp.Call when inst.Helper!.UsesOnlyFpStatus:
                    // Reads FPCR and FPSR, writes FPSR: nothing else stops being known.
                    known[FpcrKey] = known[FpsrKey] = null;
                    pendingWrite[FpcrKey] = pendingWrite[FpsrKey] = null;
                    break;
                case IrOp.Call when inst.Helper!.TakesContext:
                    Array.Clear(known);
                    Array.Clear(pendingWrite);
                    break;
            }
        }
        if (anyRemoved) PassSupport.RemoveMarked(block.Insts);
    }
}
