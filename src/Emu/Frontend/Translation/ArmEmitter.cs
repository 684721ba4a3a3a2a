using System.Diagnostics.CodeAnalysis;
using Emu.Cpu;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>
/// What an instruction emitter sees while translating one guest instruction: the IR builder, the
/// instruction's address, and the A64 conventions for reading and writing registers.
/// </summary>
public sealed class ArmEmitter
{
    public IrBuilder Ir { get; }
    /// <summary>Address of the instruction being translated.</summary>
    public ulong Pc { get; internal set; }
    public ulong NextPc => Pc + 4;

    public ArmEmitter(IrBuilder ir) => Ir = ir;

    /// <summary>Xn, where register 31 reads as zero (XZR).</summary>
    public IrInst GetX(uint r) => r == 31 ? Ir.Const(0) : Ir.GetReg((int)r);

    /// <summary>Xn, where register 31 is SP.</summary>
    public IrInst GetXsp(uint r) => Ir.GetReg((int)r);

    /// <summary>Writes Xn; a write to register 31 (XZR) is discarded.</summary>
    public void SetX(uint r, IrInst value)
    {
        if (r != 31) Ir.SetReg((int)r, value);
    }

    /// <summary>Writes Xn or SP.</summary>
    public void SetXsp(uint r, IrInst value) => Ir.SetReg((int)r, value);

    /// <summary>Writes Wn: the value's low 32 bits, zero-extended (register 31 discarded).</summary>
    public void SetW(uint r, IrInst value)
    {
        if (r != 31) Ir.SetReg((int)r, Low32(value));
    }

    /// <summary>The value's low 32 bits zero-extended; a Size-32 op's result already is (IR contract).</summary>
    private IrInst Low32(IrInst value) => value.Size == 32 ? value : Ir.ZeroExtend(value, 32);

    /// <summary>Writes a register as a sf-sized result: 64-bit as is, 32-bit zero-extended.</summary>
    public void SetX(uint r, IrInst value, int size)
    {
        if (size == 64) SetX(r, value); else SetW(r, value);
    }

    public void SetXsp(uint r, IrInst value, int size) => SetXsp(r, size == 64 ? value : Low32(value));

    public IrInst Const(ulong v) => Ir.Const(v);

    /// <summary>Ends the block: this instruction is undefined (SIGILL).</summary>
    public void Undefined() => Ir.Exit(ExitReason.Undefined, Pc);

    public IrInst Call([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] Type type, string name, params IrInst[] args) => Ir.Call(type, name, args);
}
