using System.Reflection;
using System.Reflection.Emit;
using Emu.Cpu;
using Emu.Frontend.Decoder;
using Emu.IR;

namespace Emu.Jit;

public static unsafe partial class IlCompiler
{
    /// <summary>
    /// Compiles a region that can be entered at any of its blocks: element i of the result runs the region
    /// from <paramref name="blocks"/>[i] (one method; the delegate's target says where to start). A loop
    /// whose hot path left the region and came back through another member re-enters the same code.
    /// Null if the IL is rejected.
    /// </summary>
    public static RegionCode? CompileRegionWithEntries(IReadOnlyList<IrBlock> blocks, IReadOnlyList<ulong[]>? indirectTargets) =>
        CompileRegionWithEntries(blocks, indirectTargets, out _);

    /// <summary>As above; <paramref name="tooLarge"/>: refused for its IL size (<see cref="MaxRegionIlBytes"/>).</summary>
    public static RegionCode? CompileRegionWithEntries(IReadOnlyList<IrBlock> blocks, IReadOnlyList<ulong[]>? indirectTargets, out bool tooLarge)
    {
        tooLarge = false;
        try
        {
            var emitter = new BlockEmitter(blocks, region: true) { IndirectTargets = indirectTargets, MultiEntry = true };
            var code = emitter.Emit();
            if (emitter.IlBytes > MaxRegionIlBytes)
            {
                tooLarge = true;
                Interlocked.Increment(ref _fallbacks);
                return null;
            }
            code(null);
            var entries = new BlockCode[blocks.Count];
            entries[0] = code;
            for (int i = 1; i < entries.Length; i++) entries[i] = emitter.EntryCode(i);
            return new RegionCode(entries, emitter.IndirectExitOwners());
        }
        catch (Exception e) when (e is NotSupportedException or InvalidProgramException or InvalidOperationException)
        {
            Interlocked.Increment(ref _fallbacks);
            return null;
        }
    }

    /// <summary>
    /// IL past which a region is not compiled. RyuJIT compiles a method with more than 8000 local references,
    /// 20000 IL instructions or 2000 basic blocks without optimization (MinOpts: every value on the stack, several
    /// times slower); our region IL reaches the first of these at about 37000 bytes. A rebuilt region that would
    /// be larger keeps its current code.
    /// </summary>
    public const int MaxRegionIlBytes = 34000;

    /// <summary>A compiled multi-entry region: the code per entry block, and per exit number the block whose indirect branch exits there (-1: none).</summary>
    public sealed record RegionCode(BlockCode[] Entries, int[] IndirectExitOwners);

    /// <summary>Block exits: the terminators and the transfers between blocks of a region.</summary>
    private sealed partial class BlockEmitter
    {
        /// <summary>Bytes of IL emitted so far.</summary>
        public int IlBytes => _il.ILOffset;

        /// <summary>Exit numbers of indirect branches, and the block each belongs to (two lists, not a list of tuples:
        /// List over a tuple is generic code over a runtime value type, host JIT at the first compile of every process).</summary>
        private readonly List<int> _indirectExits = [], _indirectExitBlocks = [];

        private void AddIndirectExit()
        {
            _indirectExits.Add(_exitCount);
            _indirectExitBlocks.Add(_blockOrder);
        }

        public int[] IndirectExitOwners()
        {
            var owners = new int[_exitCount];
            for (int i = 0; i < owners.Length; i++) owners[i] = -1; // not Array.Fill: its int instantiation is host JIT
            for (int i = 0; i < _indirectExits.Count; i++) owners[_indirectExits[i]] = _indirectExitBlocks[i];
            return owners;
        }

        /// <summary>Exits this code has; each one stores its own number in CpuContext.LastExit.</summary>
        private int _exitCount;

        /// <summary>
        /// Returns the guest PC on the stack, numbering the exit first: the dispatcher keeps a link per exit
        /// number, so a region (whose many exits all return from one method) finds its successor with one compare.
        /// </summary>
        private void EmitExitReturn()
        {
            _transferTarget ??= _il.DeclareLocal(typeof(ulong));
            _il.Emit(OpCodes.Stloc, _transferTarget);
            int exit = _exitCount++;
            ContextAddress(CpuContext.OffsetOfLastExit);
            _il.Emit(OpCodes.Ldc_I4, exit);
            _il.Emit(OpCodes.Stind_I4);
            _il.Emit(OpCodes.Ldc_I4, exit);
            EmitTransfer(_transferTarget);
        }

        private static readonly MethodInfo NextCodeMethod = typeof(DirectTransfers).GetMethod(nameof(DirectTransfers.NextCode), BindingFlags.Static | BindingFlags.NonPublic)!;
        private static readonly MethodInfo InvokeMethod = typeof(BlockCode).GetMethod(nameof(BlockCode.Invoke))!;
        private static readonly FieldInfo LinksField = typeof(ClosureTarget).GetField(nameof(ClosureTarget.Links))!;
        private static readonly FieldInfo ExitBudgetField = typeof(ClosureTarget).GetField(nameof(ClosureTarget.ExitBudget))!;
        private static readonly FieldInfo LinkPcField = typeof(DirectTransfers.Link).GetField(nameof(DirectTransfers.Link.Pc))!;
        private static readonly FieldInfo LinkCodeField = typeof(DirectTransfers.Link).GetField(nameof(DirectTransfers.Link.Code))!;
        private static readonly FieldInfo LinkEpochField = typeof(DirectTransfers.Link).GetField(nameof(DirectTransfers.Link.Epoch))!;
        private static FieldInfo[]? s_transferCounters;
        private static FieldInfo[] TransferCounters => s_transferCounters ??= [typeof(Stats).GetField(nameof(Stats.ChainedTransfers))!, typeof(Stats).GetField(nameof(Stats.DirectTransfers))!];
        private static readonly FieldInfo EpochField = typeof(DirectTransfers).GetField(nameof(DirectTransfers.Epoch))!;

        /// <summary>
        /// With the exit number on the stack and the guest PC in <paramref name="pc"/> (LastExit stored, registers
        /// written back): continues at the method's transfer tail, which goes on into the successor's code or
        /// returns the PC to the dispatcher.
        /// </summary>
        private void EmitTransfer(LocalBuilder pc)
        {
            _transferExit ??= _il.DeclareLocal(typeof(int));
            _transferTail ??= _il.DefineLabel();
            _il.Emit(OpCodes.Stloc, _transferExit);
            if (pc != _transferTarget)
            {
                _transferTarget ??= _il.DeclareLocal(typeof(ulong));
                _il.Emit(OpCodes.Ldloc, pc);
                _il.Emit(OpCodes.Stloc, _transferTarget);
            }
            if (_callReturnPc != 0) EmitPushReturn(_callReturnPc);
            if (_returnExit)
            {
                _returnTail ??= _il.DefineLabel();
                _il.Emit(OpCodes.Br, _returnTail.Value);
                return;
            }
            _il.Emit(OpCodes.Br, _transferTail.Value);
        }

        private Label? _returnTail;
        private LocalBuilder? _returnIndex;

        /// <summary>Pushes <paramref name="returnPc"/> and a new return site on the context's return stack.</summary>
        private void EmitPushReturn(ulong returnPc)
        {
            int site = DirectTransfers.NewReturnSite();
            if (site == 0) return;
            var index = _returnIndex ??= _il.DeclareLocal(typeof(int));
            ContextAddress(CpuContext.OffsetOfReturnTop);
            _il.Emit(OpCodes.Ldind_I4);
            _il.Emit(OpCodes.Stloc, index);
            ContextAddress(CpuContext.OffsetOfReturnTop);
            _il.Emit(OpCodes.Ldloc, index);
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Stind_I4);
            ReturnEntryAddress(CpuContext.OffsetOfReturnPcs, index, 8);
            _il.Emit(OpCodes.Ldc_I8, (long)returnPc);
            _il.Emit(OpCodes.Stind_I8);
            ReturnEntryAddress(CpuContext.OffsetOfReturnSites, index, 4);
            _il.Emit(OpCodes.Ldc_I4, site);
            _il.Emit(OpCodes.Stind_I4);
        }

        /// <summary>Pushes the address of entry (<paramref name="index"/> mod the depth) of a return-stack array.</summary>
        private void ReturnEntryAddress(int offset, LocalBuilder index, int size)
        {
            ContextAddress(offset);
            _il.Emit(OpCodes.Ldloc, index);
            _il.Emit(OpCodes.Ldc_I4, CpuContext.ReturnStackDepth - 1);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Ldc_I4, size);
            _il.Emit(OpCodes.Mul);
            _il.Emit(OpCodes.Add);
        }

        private LocalBuilder? _transferExit, _transferTarget;
        private Label? _transferTail;

        /// <summary>
        /// The one transfer tail of the method (after the body; a tail per exit would grow every region's IL).
        /// Fast path, inline: the exit's link (DirectTransfers.Link) names this PC and is of the current epoch,
        /// no signal, exit or request to leave waits, and the exit budget is not used up: store the PC in
        /// ctx->RunningPc and tail-call the code (a jmp). Otherwise DirectTransfers.NextCode decides, and null
        /// returns the PC to the dispatcher.
        /// </summary>
        private void EmitTransferTail()
        {
            if (_transferTail is not { } tail) return;
            var pc = _transferTarget!;
            var exit = _transferExit!;
            var link = _il.DeclareLocal(typeof(DirectTransfers.Link));
            var budget = _il.DeclareLocal(typeof(int));
            var next = _il.DeclareLocal(typeof(BlockCode));
            var slow = _il.DefineLabel();
            var back = _il.DefineLabel();
            _il.MarkLabel(tail);
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, LinksField);
            _il.Emit(OpCodes.Ldloc, exit);
            _il.Emit(OpCodes.Ldc_I4, DirectTransfers.LinkSlots - 1);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Ldelem_Ref);
            EmitLinkCheck(link, pc, slow);
            var haveLink = _il.DefineLabel();
            _il.MarkLabel(haveLink);
            // Anything for the dispatcher to do: a guest exit, a signal for this thread, a request to leave.
            ContextAddress(CpuContext.OffsetOfExit);
            _il.Emit(OpCodes.Ldind_I4);
            _il.Emit(OpCodes.Brtrue, slow);
            EmitBranchIfDispatcherWanted(slow);
            // --ExitBudget < 0: NextCode counts the batch into the region's exits (its recompile trigger).
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, ExitBudgetField);
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Stloc, budget);
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldloc, budget);
            _il.Emit(OpCodes.Stfld, ExitBudgetField);
            _il.Emit(OpCodes.Ldloc, budget);
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Blt, slow);
            ContextAddress(CpuContext.OffsetOfRunningPc);
            _il.Emit(OpCodes.Ldloc, pc);
            _il.Emit(OpCodes.Stind_I8);
            if (Stats.PerTransfer)
            {
                _il.Emit(OpCodes.Ldc_I8, (long)_blocks[0].StartPc);
                _il.Emit(OpCodes.Ldloc, exit);
                _il.Emit(OpCodes.Ldloc, pc);
                _il.Emit(OpCodes.Call, typeof(Stats).GetMethod(nameof(Stats.CountTransfer))!);
            }
            if (Stats.Enabled)
            {
                foreach (var counter in TransferCounters)
                {
                    _il.Emit(OpCodes.Ldsfld, counter);
                    _il.Emit(OpCodes.Ldc_I8, 1L);
                    _il.Emit(OpCodes.Add);
                    _il.Emit(OpCodes.Stsfld, counter);
                }
            }
            _il.Emit(OpCodes.Ldloc, link);
            _il.Emit(OpCodes.Ldfld, LinkCodeField);
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Tailcall);
            _il.Emit(OpCodes.Callvirt, InvokeMethod);
            _il.Emit(OpCodes.Ret);

            _il.MarkLabel(slow);
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldloc, exit);
            _il.Emit(OpCodes.Ldloc, pc);
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Call, NextCodeMethod);
            _il.Emit(OpCodes.Stloc, next);
            _il.Emit(OpCodes.Ldloc, next);
            _il.Emit(OpCodes.Brfalse, back);
            _il.Emit(OpCodes.Ldloc, next);
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Tailcall);
            _il.Emit(OpCodes.Callvirt, InvokeMethod);
            _il.Emit(OpCodes.Ret);
            _il.MarkLabel(back);
            _il.Emit(OpCodes.Ldloc, pc);
            _il.Emit(OpCodes.Ret);

            if (_returnTail is { } returnTail) EmitReturnTail(returnTail, tail, haveLink, slow, link);
        }

        private static FieldInfo? s_returnHitsField;
        private static FieldInfo ReturnHitsField => s_returnHitsField ??= typeof(Stats).GetField(nameof(Stats.ReturnPredictions))!;
        private static readonly FieldInfo ReturnLinksField = typeof(DirectTransfers).GetField(nameof(DirectTransfers.ReturnLinks))!;

        /// <summary>
        /// RET exits: pop the return stack; when its PC is this one and its site's link is current, continue at
        /// <paramref name="haveLink"/> (the tail's checks and tail call) without the exit's link. A stale link
        /// goes to NextCode with ctx->ReturnSiteMiss set, a mismatch to the ordinary tail.
        /// </summary>
        /// <summary>
        /// Stores the link on the stack in <paramref name="link"/> and goes to <paramref name="miss"/> unless it
        /// exists, names <paramref name="pc"/> and is of the current epoch (nothing was invalidated since).
        /// </summary>
        private void EmitLinkCheck(LocalBuilder link, LocalBuilder pc, Label miss)
        {
            _il.Emit(OpCodes.Stloc, link);
            _il.Emit(OpCodes.Ldloc, link);
            _il.Emit(OpCodes.Brfalse, miss);
            _il.Emit(OpCodes.Ldloc, link);
            _il.Emit(OpCodes.Ldfld, LinkPcField);
            _il.Emit(OpCodes.Ldloc, pc);
            _il.Emit(OpCodes.Bne_Un, miss);
            _il.Emit(OpCodes.Ldloc, link);
            _il.Emit(OpCodes.Ldfld, LinkEpochField);
            _il.Emit(OpCodes.Volatile);
            _il.Emit(OpCodes.Ldsfld, EpochField);
            _il.Emit(OpCodes.Bne_Un, miss);
        }

        private void EmitReturnTail(Label returnTail, Label tail, Label haveLink, Label slow, LocalBuilder link)
        {
            var pc = _transferTarget!;
            var index = _returnIndex ??= _il.DeclareLocal(typeof(int));
            var site = _il.DeclareLocal(typeof(int));
            var miss = _il.DefineLabel();
            _il.MarkLabel(returnTail);
            ContextAddress(CpuContext.OffsetOfReturnTop);
            _il.Emit(OpCodes.Ldind_I4);
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Stloc, index);
            ContextAddress(CpuContext.OffsetOfReturnTop);
            _il.Emit(OpCodes.Ldloc, index);
            _il.Emit(OpCodes.Stind_I4);
            ReturnEntryAddress(CpuContext.OffsetOfReturnPcs, index, 8);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Ldloc, pc);
            _il.Emit(OpCodes.Bne_Un, tail);
            ReturnEntryAddress(CpuContext.OffsetOfReturnSites, index, 4);
            _il.Emit(OpCodes.Ldind_I4);
            _il.Emit(OpCodes.Stloc, site);
            _il.Emit(OpCodes.Volatile);
            _il.Emit(OpCodes.Ldsfld, ReturnLinksField);
            _il.Emit(OpCodes.Ldloc, site);
            _il.Emit(OpCodes.Ldelem_Ref);
            EmitLinkCheck(link, pc, miss);
            if (Stats.Enabled)
            {
                _il.Emit(OpCodes.Ldsfld, ReturnHitsField);
                _il.Emit(OpCodes.Ldc_I8, 1L);
                _il.Emit(OpCodes.Add);
                _il.Emit(OpCodes.Stsfld, ReturnHitsField);
            }
            _il.Emit(OpCodes.Br, haveLink);
            _il.MarkLabel(miss);
            ContextAddress(CpuContext.OffsetOfReturnSiteMiss);
            _il.Emit(OpCodes.Ldloc, site);
            _il.Emit(OpCodes.Stind_I4);
            _il.Emit(OpCodes.Br, slow);
        }

        /// <summary>Emits a block's terminator (Jump, JumpIndirect, Branch, Exit).</summary>
        private void EmitTerminator(IrInst inst)
        {
            // Exits of a call push a return prediction, exits of a RET check it (see EmitTransfer).
            uint last = LastGuestWord(_blockOrder);
            _callReturnPc = (inst.Op == IrOp.Jump && BranchWords.IsBl(last)) || (inst.Op == IrOp.JumpIndirect && BranchWords.IsBlr(last)) ? _blocks[_blockOrder].EndPc : 0;
            _returnExit = inst.Op == IrOp.JumpIndirect && BranchWords.IsRet(last);
            EmitTerminatorCore(inst);
            _callReturnPc = 0;
            _returnExit = false;
        }

        // While a call's or a RET's terminator is emitted: the call's return PC (0: not a call); a RET.
        private ulong _callReturnPc;
        private bool _returnExit;

        private void EmitTerminatorCore(IrInst inst)
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
                case IrOp.JumpIndirect when _region && RegionTargetsOfIndirect() is { Length: > 0 } targets:
                    EmitIndirectInRegion(inst.A!, targets);
                    return;
                case IrOp.JumpIndirect:
                    Flush(clear: false);
                    Load(inst.A!);
                    AddIndirectExit();
                    EmitExitReturn();
                    return;
                case IrOp.Branch when _region:
                    {
                        RestoreRegionInvariant();
                        // Taken edge: straight to the block when it is in the region, not a back edge and
                        // needs no deferred flags computed on the way.
                        bool direct = InRegion(inst.Imm, out var l, out bool back) && !back && !EdgeMaterializesFlags(inst.Imm);
                        var taken = direct ? l : _il.DefineLabel();
                        EmitJumpIfHolds(inst.A!, taken);
                        EmitEdge(inst.Imm2);
                        if (!direct)
                        {
                            _il.MarkLabel(taken);
                            EmitEdge(inst.Imm);
                        }
                        return;
                    }
                case IrOp.Branch:
                    {
                        Flush();
                        var taken = _il.DefineLabel();
                        EmitJumpIfHolds(inst.A!, taken);
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

        /// <summary>The closing Branch's test: jumps to <paramref name="taken"/> when <paramref name="cond"/> holds, else falls through.</summary>
        private void EmitJumpIfHolds(IrInst cond, Label taken)
        {
            if (cond.Index == _deferredBranchSelect)
            {
                // Select(c, condition, constant): c picks the condition's compare or the constant's edge.
                var otherwise = _il.DefineLabel();
                var notTaken = _il.DefineLabel();
                Load(cond.A!);
                _il.Emit(OpCodes.Brfalse, otherwise);
                EmitConditionValue(cond.B!, _deferredSelectedCondition);
                _il.Emit(OpCodes.Brtrue, taken);
                _il.Emit(OpCodes.Br, notTaken);
                _il.MarkLabel(otherwise);
                if (cond.C!.Imm != 0) _il.Emit(OpCodes.Br, taken);
                _il.MarkLabel(notTaken);
                return;
            }
            EmitConditionValue(cond, _deferredCondition);
            _il.Emit(OpCodes.Brtrue, taken);
        }

        /// <summary>Pushes a condition: its value, or the compare itself when its emission was deferred to here.</summary>
        private void EmitConditionValue(IrInst cond, int deferred)
        {
            if (cond.Index != deferred) Load(cond);
            else if (cond.Op == IrOp.Compare) EmitCompare(cond.A!, cond.B!, (IrCompare)cond.Imm, cond.Size);
            else EmitCondHolds(cond);
        }

        /// <summary>True if the edge to <paramref name="pc"/> enters a region block that reads the still deferred NZCV.</summary>
        private bool EdgeMaterializesFlags(ulong pc) =>
            _pendingFlags != null && !InvalidatesCode(_blockOrder) && _labels.TryGetValue(pc, out var t) && _flagsLiveIn[t.Order];

        /// <summary>One edge of a region Branch: computes the deferred NZCV on this path if the target reads it.</summary>
        private void EmitEdge(ulong pc)
        {
            if (EdgeMaterializesFlags(pc))
            {
                if (FlagsReadIn(pc)) MaterializeFlags(settle: false);
                else StoreLazyFlags();
            }
            EmitGoto(pc);
        }

        /// <summary>Regions: per block, the PCs its indirect branch is expected to reach (null: none known).</summary>
        public IReadOnlyList<ulong[]>? IndirectTargets { get; init; }

        /// <summary>Regions: the method starts with a switch on the delegate target's entry block.</summary>
        public bool MultiEntry { get; init; }

        private static readonly FieldInfo EntryField = typeof(ClosureTarget).GetField(nameof(ClosureTarget.Entry))!;

        /// <summary>The compiled region entered at block <paramref name="block"/>.</summary>
        public BlockCode EntryCode(int block) => (BlockCode)_method.CreateDelegate(typeof(BlockCode), new ClosureTarget(block));

        /// <summary>
        /// The expected targets of the current block's indirect branch that are blocks of this region, without
        /// repeats (an array: a List of ulong and its Contains would be JIT-compiled in every process).
        /// </summary>
        private ulong[] RegionTargetsOfIndirect()
        {
            if (InvalidatesCode(_blockOrder) || IndirectTargets is not { } all || _blockOrder >= all.Count || all[_blockOrder] is not { } targets)
                return NoTargets;
            var found = new ulong[targets.Length];
            int n = 0;
            foreach (ulong pc in targets)
                if (_labels.ContainsKey(pc) && !Contains(found, n, pc)) found[n++] = pc;
            if (n == found.Length) return found;
            var exact = new ulong[n];
            Array.Copy(found, exact, n);
            return exact;
        }

        private static readonly ulong[] NoTargets = new ulong[0];

        private static bool Contains(ulong[] values, int count, ulong value)
        {
            for (int i = 0; i < count; i++)
                if (values[i] == value) return true;
            return false;
        }

        /// <summary>
        /// BR/BLR/RET inside a region: the target is compared with the region's blocks it is known to reach
        /// (a jump table's handlers become an IL switch, so a guest interpreter's dispatch stays a host jump
        /// table); a match continues in the method with the registers still in locals, anything else exits.
        /// </summary>
        private void EmitIndirectInRegion(IrInst targetValue, ulong[] targets)
        {
            // Reloaded registers are settled once, up front. Deferred NZCV too when a target reads it (one copy of
            // the computation, not one per case of a switch); when none does, only the exit computes it: a
            // comparator's CMP before its RET then costs nothing when the caller overwrites the flags.
            bool needed = false, read = false;
            foreach (ulong pc in targets)
                if (EdgeMaterializesFlags(pc))
                {
                    needed = true;
                    read |= FlagsReadIn(pc);
                }
            if (read) MaterializeFlags(settle: true);
            else if (needed)
            {
                StoreLazyFlags();
                _pendingFlags = null;
            }
            RestoreRegionInvariant();
            var target = _il.DeclareLocal(typeof(ulong));
            Load(targetValue);
            _il.Emit(OpCodes.Stloc, target);
            var leave = _il.DefineLabel();
            Array.Sort(targets);
            ulong min = targets[0], slots = ((targets[^1] - min) >> 2) + 1;
            // A sparse table is still one indirect jump; a compare chain costs a branch per target ahead of the hit.
            if (targets.Length >= 4 && slots <= MaxSwitchSlots && slots <= (ulong)targets.Length * 64)
            {
                var slot = _il.DeclareLocal(typeof(ulong));
                if (ScaledJumpTableIndex(targetValue, min) is ({ } index, long bias))
                {
                    // target = index * 4 + c (ADR; ADD x, x, w, SXTH #2): slot = index + (c - min) / 4. A slot below
                    // the table's size means target = min + 4 * slot exactly; anything else misses (and exits).
                    Load(index);
                    if (bias != 0)
                    {
                        _il.Emit(OpCodes.Ldc_I8, bias);
                        _il.Emit(OpCodes.Add);
                    }
                    _il.Emit(OpCodes.Stloc, slot);
                }
                else
                {
                    // Slot = (target - min) rotated right by 2: an unaligned target gets high bits and misses the table.
                    _il.Emit(OpCodes.Ldloc, target);
                    _il.Emit(OpCodes.Ldc_I8, (long)min);
                    _il.Emit(OpCodes.Sub);
                    _il.Emit(OpCodes.Stloc, slot);
                    _il.Emit(OpCodes.Ldloc, slot);
                    _il.Emit(OpCodes.Ldc_I4_2);
                    _il.Emit(OpCodes.Shr_Un);
                    _il.Emit(OpCodes.Ldloc, slot);
                    _il.Emit(OpCodes.Ldc_I4, 62);
                    _il.Emit(OpCodes.Shl);
                    _il.Emit(OpCodes.Or);
                    _il.Emit(OpCodes.Stloc, slot);
                }
                _il.Emit(OpCodes.Ldloc, slot);
                _il.Emit(OpCodes.Ldc_I8, (long)slots);
                _il.Emit(OpCodes.Bge_Un, leave);
                var table = new Label[slots];
                var cases = new Label[targets.Length];
                for (int i = 0; i < cases.Length; i++) cases[i] = _il.DefineLabel();
                for (ulong i = 0; i < slots; i++) table[i] = leave;
                for (int i = 0; i < targets.Length; i++) table[(targets[i] - min) >> 2] = cases[i];
                _il.Emit(OpCodes.Ldloc, slot);
                _il.Emit(OpCodes.Conv_I4);
                _il.Emit(OpCodes.Switch, table);
                _il.Emit(OpCodes.Br, leave);
                for (int i = 0; i < targets.Length; i++)
                {
                    _il.MarkLabel(cases[i]);
                    EmitGoto(targets[i]);
                }
            }
            else
            {
                foreach (ulong pc in targets)
                {
                    var next = _il.DefineLabel();
                    _il.Emit(OpCodes.Ldloc, target);
                    _il.Emit(OpCodes.Ldc_I8, (long)pc);
                    _il.Emit(OpCodes.Bne_Un, next);
                    EmitGoto(pc);
                    _il.MarkLabel(next);
                }
            }
            _il.MarkLabel(leave);
            AddIndirectExit();
            EmitRegionExit(() => _il.Emit(OpCodes.Ldloc, target));
            _pendingFlags = null;
        }

        /// <summary>
        /// A jump table's target computed as Add(Shl(index, 2), c) with c - <paramref name="min"/> a multiple of 4
        /// (a switch: ADR of the base plus a scaled table entry): the index and (c - min) / 4, else null.
        /// </summary>
        private (IrInst Index, long Bias)? ScaledJumpTableIndex(IrInst target, ulong min)
        {
            // (BeginBlock kept the index alive until the terminator.)
            if (JumpTableParts(target) is not ({ } index, ulong constant) || index != _jumpTableIndex || ((constant - min) & 3) != 0) return null;
            return (index, (long)(constant - min) >> 2);
        }

        /// <summary>Add(Shl(index, 2), constant) in either order: the index and the constant, else null.</summary>
        private static (IrInst Index, ulong Constant)? JumpTableParts(IrInst target)
        {
            if (target is not { Op: IrOp.Add, Size: 64 } add) return null;
            var (scaled, constant) = add.B!.Op == IrOp.Const ? (add.A!, add.B) : (add.B!, add.A!);
            if (constant.Op != IrOp.Const || scaled is not { Op: IrOp.Shl, Size: 64, B: { Op: IrOp.Const, Imm: 2 } } shl) return null;
            return (shl.A!, constant.Imm);
        }

        // The block's BR target as Add(Shl(index, 2), constant): its index, kept alive until the terminator.
        private IrInst? _jumpTableIndex;

        /// <summary>Jump-table entries an indirect branch's switch may have (beyond that: compares).</summary>
        private const ulong MaxSwitchSlots = 1024;

        private bool[]? _invalidatesCode;

        /// <summary>
        /// True if block <paramref name="b"/> runs IC IVAU: the code it continues to may just have been rewritten,
        /// so it leaves the region (the dispatcher's links see the invalidation) instead of running the old copy.
        /// </summary>
        private bool InvalidatesCode(int b)
        {
            if (_invalidatesCode == null)
            {
                // A loop, not Select(...).ToArray(): that instantiation over bool is host JIT at the first compile.
                _invalidatesCode = new bool[_blocks.Count];
                for (int k = 0; k < _invalidatesCode.Length; k++)
                    _invalidatesCode[k] = _blocks[k].Insts.Any(i => i.Op == IrOp.Call
                        && i.Helper!.Method.DeclaringType == typeof(CodeCache) && i.Helper.Method.Name == nameof(CodeCache.InvalidateInstructionLine));
            }
            return _invalidatesCode[b];
        }

        private bool InRegion(ulong pc, out Label label, out bool backEdge)
        {
            if (_region && !InvalidatesCode(_blockOrder) && _labels.TryGetValue(pc, out var l))
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

        /// <summary>
        /// Goes to <paramref name="leave"/> when the dispatcher must run: a host signal waiting for delivery, or
        /// a guest thread's attention flag set (a signal another thread handed it, a fork's safe point), which
        /// also sets HostSignals.AttentionBit. One compare-and-branch on the process-wide word: no register is
        /// tied up, which a tight loop needs for its own values; the dispatcher then checks its own flag.
        /// </summary>
        private void EmitBranchIfDispatcherWanted(Label leave)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)Linux.Signals.HostSignals.Pending);
            _il.Emit(OpCodes.Conv_U);
            _il.Emit(OpCodes.Volatile);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Brtrue, leave);
        }

        /// <summary>Continues at <paramref name="pc"/>: an IL branch inside the region, else a return to the caller.</summary>
        private void EmitGoto(ulong pc)
        {
            if (InRegion(pc, out var label, out bool backEdge))
            {
                if (backEdge)
                {
                    // A loop must still let the dispatcher in when asked.
                    var leave = _il.DefineLabel();
                    EmitBranchIfDispatcherWanted(leave);
                    _il.Emit(OpCodes.Br, label);
                    _il.MarkLabel(leave);
                    EmitRegionExit(() => _il.Emit(OpCodes.Ldc_I8, (long)pc));
                    return;
                }
                _il.Emit(OpCodes.Br, label);
                return;
            }
            EmitRegionExit(() => _il.Emit(OpCodes.Ldc_I8, (long)pc));
        }

        // Regions: exits whose registers are all current in their locals share a write-back tail.
        private LocalBuilder? _exitPc, _exitNumber;

        /// <summary>
        /// Leaves the region for the PC <paramref name="pushPc"/> pushes. A region has many exits and each would
        /// write back every register a path into its block may have changed: where all of them are current in
        /// their locals (no context helper since, no deferred flags) the exit only records its PC and number and
        /// branches to the tail that writes back that set of registers, which keeps big regions' IL (and
        /// RyuJIT's time on it) small.
        /// </summary>
        private void EmitRegionExit(Action pushPc)
        {
            // A RET's exit checks the return prediction: its own tail, not a shared one.
            if (!CanShareExit() || _returnExit)
            {
                Flush(clear: false);
                pushPc();
                EmitExitReturn();
                return;
            }
            if (_callReturnPc != 0) EmitPushReturn(_callReturnPc);
            var tail = SharedExit(SlotKey(_mayBeDirty[_blockOrder]));
            _exitPc ??= _il.DeclareLocal(typeof(ulong));
            _exitNumber ??= _il.DeclareLocal(typeof(int));
            pushPc();
            _il.Emit(OpCodes.Stloc, _exitPc);
            _il.Emit(OpCodes.Ldc_I4, _exitCount++);
            _il.Emit(OpCodes.Stloc, _exitNumber);
            _il.Emit(OpCodes.Br, tail);
        }

        /// <summary>True if every register a path into this block may have written is current in its local here.</summary>
        private bool CanShareExit()
        {
            if (!_region || _pendingFlags != null) return false;
            var mayBeDirty = _mayBeDirty[_blockOrder];
            for (int slot = 0; slot < StateSlots; slot++)
                if ((mayBeDirty[slot] && !_loaded[slot]) || (_dirty[slot] && !mayBeDirty[slot])) return false;
            return true;
        }

        /// <summary>The shared write-back tails of a region's exits (after the last block).</summary>
        private void EmitSharedExit()
        {
            for (int i = 0; i < _sharedExitCount; i++)
            {
                var key = _sharedExitKeys[i];
                _il.MarkLabel(_sharedExitLabels[i]);
                for (int slot = 0; slot < StateSlots; slot++)
                {
                    if (!HasSlot(key, slot)) continue;
                    if (slot == FlagsSlot) SettleLazyFlags();
                    ContextAddress(StateOffset(slot));
                    _il.Emit(OpCodes.Ldloc, StateLocal(slot));
                    if (StateType(slot) == V128) _il.Emit(OpCodes.Stobj, V128);
                    else _il.Emit(OpCodes.Stind_I8);
                }
                ContextAddress(CpuContext.OffsetOfLastExit);
                _il.Emit(OpCodes.Ldloc, _exitNumber!);
                _il.Emit(OpCodes.Stind_I4);
                _il.Emit(OpCodes.Ldloc, _exitNumber!);
                EmitTransfer(_exitPc!);
            }
        }
    }
}
