namespace Emu.IR;

/// <summary>The type of an IR value. Scalars are all 64-bit: 32-bit operations zero-extend their result.</summary>
public enum IrType : byte
{
    None,
    I64,
    V128,
}

/// <summary>
/// The IR operations. Each is listed once, here, with its result and operand types in <see cref="IrOpInfo"/>.
/// Conventions:
/// - <c>Size</c> on an arithmetic op is 32 or 64: a 32-bit op reads only the low 32 bits of its operands
///   and zero-extends its result.
/// - Flags are values: an NZCV value is packed like the NZCV system register (N bit 31 … V bit 28).
/// - Booleans are I64 0 or 1.
/// - Ops marked terminator end a block; exactly one ends every block.
/// </summary>
public enum IrOp : byte
{
    Nop,
    /// <summary>Imm.</summary>
    Const,

    // Guest state.
    /// <summary>X register Imm (0..30), 31 = SP.</summary>
    GetReg,
    SetReg,
    GetFlags,
    SetFlags,
    /// <summary>System register <see cref="Emu.Cpu.SysReg"/> Imm.</summary>
    GetSys,
    SetSys,
    /// <summary>Vector register Imm (0..31).</summary>
    GetVec,
    SetVec,

    // Integer arithmetic (Size 32 or 64).
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
    Not,
    Neg,
    /// <summary>Shifts and rotate: the amount B is taken modulo Size, as the ARM register-shift forms do.</summary>
    Shl,
    Lsr,
    Asr,
    Ror,
    /// <summary>High 64 bits of the 128-bit product (Size 64 only).</summary>
    UMulHigh,
    SMulHigh,
    /// <summary>ARM division: x/0 = 0, INT_MIN/-1 = INT_MIN.</summary>
    UDiv,
    SDiv,
    Clz,
    Cls,
    Rbit,
    /// <summary>Reverse the bytes of the whole Size-bit value.</summary>
    Rev,
    /// <summary>Reverse the bytes within each 16-bit halfword.</summary>
    Rev16,
    /// <summary>Reverse the bytes within each 32-bit word (Size 64).</summary>
    Rev32,
    /// <summary>Sign-extend the low Imm bits (8, 16, 32) of A to 64 bits.</summary>
    SignExtend,
    /// <summary>Keep the low Imm bits (8, 16, 32) of A.</summary>
    ZeroExtend,
    /// <summary>Compare A with B (Size 32/64); Imm is a <see cref="IrCompare"/>; result 0 or 1.</summary>
    Compare,
    /// <summary>A != 0 ? B : C.</summary>
    Select,
    /// <summary>A + B + C where C is a carry 0 or 1.</summary>
    AddCarry,

    // Flags (Size 32 or 64).
    /// <summary>NZCV of A + B.</summary>
    FlagsAdd,
    /// <summary>NZCV of A + B + C (carry-in C is 0 or 1); SBC/SBCS pass Not(B).</summary>
    FlagsAddCarry,
    /// <summary>NZCV of A - B (C set when no borrow).</summary>
    FlagsSub,
    /// <summary>NZCV of a logical result A: N and Z from A, C = V = 0.</summary>
    FlagsLogic,
    /// <summary>1 if condition code Imm (0..15, ARM encoding) holds for NZCV value A, else 0.</summary>
    CondHolds,

    // Memory. Guest address A; Imm = access size in bytes.
    /// <summary>Load 1/2/4/8 bytes, zero-extended.</summary>
    Load,
    /// <summary>Store the low Imm bytes of B.</summary>
    Store,
    /// <summary>Load 1/2/4/8/16 bytes into the low lanes of a V128, the rest zero.</summary>
    LoadVec,
    /// <summary>Store the low Imm (1/2/4/8/16) bytes of V128 B.</summary>
    StoreVec,
    /// <summary>Load Imm bytes and open the exclusive monitor on A.</summary>
    LoadExclusive,
    /// <summary>Store B (Imm bytes) if the monitor still holds A; result 0 on success, 1 on failure.</summary>
    StoreExclusive,
    /// <summary>LDXP/LDAXP of two 8-byte (or 4-byte, Imm=4) values: result is the first, the second comes from LoadExclusiveHigh.</summary>
    LoadExclusivePair,
    /// <summary>The second value read by the preceding LoadExclusivePair.</summary>
    LoadExclusiveHigh,
    /// <summary>STXP: store B and C (Imm bytes each) at A if the monitor holds; 0 success, 1 failure.</summary>
    StoreExclusivePair,
    ClearExclusive,
    /// <summary>Memory barrier (DMB/DSB and acquire/release orderings).</summary>
    Barrier,

    // Calls.
    /// <summary>Call the static method <see cref="IrInst.Helper"/> with arguments Args (I64 or V128; a leading CpuContext* parameter is passed implicitly).</summary>
    Call,

    // Terminators.
    /// <summary>Continue at Imm.</summary>
    Jump,
    /// <summary>Continue at the address in A.</summary>
    JumpIndirect,
    /// <summary>If A != 0 continue at Imm, else at Imm2.</summary>
    Branch,
    /// <summary>Leave to the dispatcher with <see cref="Emu.Cpu.ExitReason"/> Imm2, PC = Imm, ExitInfo = (int)Imm3.</summary>
    Exit,
}

/// <summary>Comparison kinds for <see cref="IrOp.Compare"/>.</summary>
public enum IrCompare : byte
{
    Eq,
    Ne,
    ULt,
    ULe,
    UGt,
    UGe,
    SLt,
    SLe,
    SGt,
    SGe,
}

/// <summary>Static facts about each op: result type, operand count and types, side effects.</summary>
public readonly record struct IrOpInfo(IrType Result, IrType[] Operands, bool SideEffect, bool Terminator)
{
    // Not []: that is Array.Empty<IrType>, which is not in our ReadyToRun image and would be JIT-compiled at every start.
    private static readonly IrType[] None = new IrType[0];
    private static readonly IrType[] I = [IrType.I64];
    private static readonly IrType[] II = [IrType.I64, IrType.I64];
    private static readonly IrType[] III = [IrType.I64, IrType.I64, IrType.I64];
    private static readonly IrType[] V = [IrType.V128];
    private static readonly IrType[] IV = [IrType.I64, IrType.V128];

    /// <summary>
    /// Number of ops: <see cref="IrOp.Exit"/> is the last. Not Enum.GetValues, whose reflection-built cache
    /// JIT-compiles at every start (IrOpTableTests checks the two agree).
    /// </summary>
    public const int Count = (int)IrOp.Exit + 1;

    private static readonly IrOpInfo[] Table = Build();

    public static IrOpInfo Of(IrOp op) => Table[(int)op];

    private static IrOpInfo Pure(IrType result, IrType[] operands) => new(result, operands, false, false);
    private static IrOpInfo Effect(IrType result, IrType[] operands) => new(result, operands, true, false);
    private static IrOpInfo Term(IrType[] operands) => new(IrType.None, operands, true, true);

    private static IrOpInfo[] Build()
    {
        var t = new IrOpInfo[Count];
        t[(int)IrOp.Nop] = Pure(IrType.None, None);
        t[(int)IrOp.Const] = Pure(IrType.I64, None);
        t[(int)IrOp.GetReg] = Pure(IrType.I64, None);
        t[(int)IrOp.SetReg] = Effect(IrType.None, I);
        t[(int)IrOp.GetFlags] = Pure(IrType.I64, None);
        t[(int)IrOp.SetFlags] = Effect(IrType.None, I);
        t[(int)IrOp.GetSys] = Pure(IrType.I64, None);
        t[(int)IrOp.SetSys] = Effect(IrType.None, I);
        t[(int)IrOp.GetVec] = Pure(IrType.V128, None);
        t[(int)IrOp.SetVec] = Effect(IrType.None, V);
        foreach (var op in new[] { IrOp.Add, IrOp.Sub, IrOp.Mul, IrOp.And, IrOp.Or, IrOp.Xor, IrOp.Shl, IrOp.Lsr, IrOp.Asr, IrOp.Ror, IrOp.UMulHigh, IrOp.SMulHigh, IrOp.UDiv, IrOp.SDiv, IrOp.Compare, IrOp.FlagsAdd, IrOp.FlagsSub })
            t[(int)op] = Pure(IrType.I64, II);
        foreach (var op in new[] { IrOp.Not, IrOp.Neg, IrOp.Clz, IrOp.Cls, IrOp.Rbit, IrOp.Rev, IrOp.Rev16, IrOp.Rev32, IrOp.SignExtend, IrOp.ZeroExtend, IrOp.FlagsLogic, IrOp.CondHolds })
            t[(int)op] = Pure(IrType.I64, I);
        t[(int)IrOp.Select] = Pure(IrType.I64, III);
        t[(int)IrOp.AddCarry] = Pure(IrType.I64, III);
        t[(int)IrOp.FlagsAddCarry] = Pure(IrType.I64, III);
        // Loads are effects: they may fault, so they are never removed or reordered.
        t[(int)IrOp.Load] = Effect(IrType.I64, I);
        t[(int)IrOp.Store] = Effect(IrType.None, II);
        t[(int)IrOp.LoadVec] = Effect(IrType.V128, I);
        t[(int)IrOp.StoreVec] = Effect(IrType.None, IV);
        t[(int)IrOp.LoadExclusive] = Effect(IrType.I64, I);
        t[(int)IrOp.StoreExclusive] = Effect(IrType.I64, II);
        t[(int)IrOp.LoadExclusivePair] = Effect(IrType.I64, I);
        t[(int)IrOp.LoadExclusiveHigh] = Effect(IrType.I64, None);
        t[(int)IrOp.StoreExclusivePair] = Effect(IrType.I64, III);
        t[(int)IrOp.ClearExclusive] = Effect(IrType.None, None);
        t[(int)IrOp.Barrier] = Effect(IrType.None, None);
        t[(int)IrOp.Call] = Effect(IrType.None, None); // result and operands come from the helper's signature
        t[(int)IrOp.Jump] = Term(None);
        t[(int)IrOp.JumpIndirect] = Term(I);
        t[(int)IrOp.Branch] = Term(I);
        t[(int)IrOp.Exit] = Term(None);
        return t;
    }
}
