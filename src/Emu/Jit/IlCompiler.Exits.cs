using System.Reflection.Emit;
using Emu.Cpu;
using Emu.IR;

namespace Emu.Jit;

public static unsafe partial class IlCompiler
{
    /// <summary>Block exits: the terminators and the transfers between blocks of a region.</summary>
    private sealed partial class BlockEmitter
    {
        /// <summary>Exits this code has; each one stores its own number in CpuContext.LastExit.</summary>
        private int _exitCount;

        /// <summary>
        /// Returns the guest PC on the stack, numbering the exit first: the dispatcher keeps a link per exit
        /// number, so a region (whose many exits all return from one method) finds its successor with one compare.
        /// </summary>
        private void EmitExitReturn()
        {
            ContextAddress(CpuContext.OffsetOfLastExit);
            _il.Emit(OpCodes.Ldc_I4, _exitCount++);
            _il.Emit(OpCodes.Stind_I4);
            _il.Emit(OpCodes.Ret);
        }

        /// <summary>Emits a block's terminator (Jump, JumpIndirect, Branch, Exit).</summary>
        private void EmitTerminator(IrInst inst)
        {
            switch (inst.Op)
            {
                case IrOp.Jump:
                    if (_region)
                    {
                        RestoreRegionInvariant();
                        EmitGoto(inst.Imm);
                        return;
                    }
                    Flush();
                    _il.Emit(OpCodes.Ldc_I8, (long)inst.Imm);
                    EmitExitReturn();
                    return;
                case IrOp.JumpIndirect:
                    Flush(clear: false);
                    Load(inst.A!);
                    EmitExitReturn();
                    return;
                case IrOp.Branch when _region:
                    {
                        RestoreRegionInvariant();
                        var cond = inst.A!;
                        if (cond.Index != _deferredCondition) Load(cond);
                        else if (cond.Op == IrOp.Compare) EmitCompare(cond.A!, cond.B!, (IrCompare)cond.Imm, cond.Size);
                        else EmitCondHolds(cond);
                        // Taken edge: straight to the block when it is in the region and not a back edge.
                        var taken = InRegion(inst.Imm, out var l, out bool back) && !back ? l : _il.DefineLabel();
                        _il.Emit(OpCodes.Brtrue, taken);
                        EmitGoto(inst.Imm2);
                        if (!(InRegion(inst.Imm, out _, out back) && !back))
                        {
                            _il.MarkLabel(taken);
                            EmitGoto(inst.Imm);
                        }
                        return;
                    }
                case IrOp.Branch:
                    {
                        Flush();
                        var taken = _il.DefineLabel();
                        var cond = inst.A!;
                        if (cond.Index != _deferredCondition) Load(cond);
                        else if (cond.Op == IrOp.Compare) EmitCompare(cond.A!, cond.B!, (IrCompare)cond.Imm, cond.Size);
                        else EmitCondHolds(cond);
                        _il.Emit(OpCodes.Brtrue, taken);
                        _il.Emit(OpCodes.Ldc_I8, (long)inst.Imm2);
                        EmitExitReturn();
                        _il.MarkLabel(taken);
                        _il.Emit(OpCodes.Ldc_I8, (long)inst.Imm);
                        EmitExitReturn();
                        return;
                    }
                case IrOp.Exit:
                    Flush(clear: false);
                    ContextAddress(CpuContext.OffsetOfExit);
                    _il.Emit(OpCodes.Ldc_I4, (int)inst.Imm2);
                    _il.Emit(OpCodes.Stind_I4);
                    ContextAddress(CpuContext.OffsetOfExitInfo);
                    _il.Emit(OpCodes.Ldc_I4, (int)(uint)inst.Imm3);
                    _il.Emit(OpCodes.Stind_I4);
                    _il.Emit(OpCodes.Ldc_I8, (long)inst.Imm);
                    _il.Emit(OpCodes.Ret);
                    return;
                default:
                    throw new NotSupportedException($"tier 1: terminator {inst.Op}");
            }
        }

        private bool InRegion(ulong pc, out Label label, out bool backEdge)
        {
            if (_region && _labels.TryGetValue(pc, out var l))
            {
                label = l.Label;
                backEdge = l.Order <= _blockOrder;
                return true;
            }
            label = default;
            backEdge = false;
            return false;
        }

        /// <summary>Before jumping to another block of the region: reload slots a context-taking helper invalidated.</summary>
        private void RestoreRegionInvariant()
        {
            for (int slot = 0; slot < StateSlots; slot++)
            {
                if (!_usedSlots[slot] || _loaded[slot]) continue;
                LoadContextField(StateOffset(slot), StateType(slot));
                _il.Emit(OpCodes.Stloc, StateLocal(slot));
                _loaded[slot] = true;
            }
        }

        /// <summary>Continues at <paramref name="pc"/>: an IL branch inside the region, else a return to the caller.</summary>
        private void EmitGoto(ulong pc)
        {
            if (InRegion(pc, out var label, out bool backEdge))
            {
                if (backEdge)
                {
                    // A loop must still let the dispatcher in when asked (signals, other threads).
                    var stay = _il.DefineLabel();
                    _il.Emit(OpCodes.Volatile);
                    _il.Emit(OpCodes.Ldsfld, LeaveRegionsField);
                    _il.Emit(OpCodes.Conv_I8);
                    // A host signal waiting for delivery (HostSignals' pending word) also ends the loop.
                    _il.Emit(OpCodes.Ldc_I8, (long)Linux.Signals.HostSignals.Pending);
                    _il.Emit(OpCodes.Conv_U);
                    _il.Emit(OpCodes.Volatile);
                    _il.Emit(OpCodes.Ldind_I8);
                    _il.Emit(OpCodes.Or);
                    _il.Emit(OpCodes.Brfalse, stay);
                    Flush(clear: false);
                    _il.Emit(OpCodes.Ldc_I8, (long)pc);
                    EmitExitReturn();
                    _il.MarkLabel(stay);
                }
                _il.Emit(OpCodes.Br, label);
                return;
            }
            Flush(clear: false);
            _il.Emit(OpCodes.Ldc_I8, (long)pc);
            EmitExitReturn();
        }
    }
}
