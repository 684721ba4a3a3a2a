using System.Reflection.Emit;
using Emu.IR;

namespace Emu.Jit;

public static unsafe partial class IlCompiler
{
    /// <summary>
    /// Which guest registers a region keeps in locals where. A region is entered far more often than it
    /// loops in call-heavy code (a qsort comparator, a function called per block of data), so an entry loads
    /// only the slots live there (read or written back before the region writes them), and an exit writes back
    /// only the slots some path into its block may have written, not everything the whole region touches.
    /// </summary>
    /// <summary>A region block's IL label and its position in the region.</summary>
    private readonly record struct BlockLabel(Label Label, int Order);

    /// <summary>
    /// The region's blocks by guest PC: sorted arrays and a binary search. A Dictionary keyed by PC over a
    /// new value type would be host JIT (a dozen methods) at the first compile of every process.
    /// </summary>
    private sealed class BlockLabels
    {
        private readonly ulong[] _pcs;
        private readonly BlockLabel[] _byPc;
        private readonly BlockLabel[] _byOrder;

        public BlockLabels(IReadOnlyList<IrBlock> blocks, ILGenerator il)
        {
            int n = blocks.Count;
            _pcs = new ulong[n];
            _byPc = new BlockLabel[n];
            _byOrder = new BlockLabel[n];
            for (int b = 0; b < n; b++)
            {
                var entry = new BlockLabel(il.DefineLabel(), b);
                _byOrder[b] = entry;
                // Insertion sort: regions have tens of blocks.
                int i = b;
                for (; i > 0 && _pcs[i - 1] > blocks[b].StartPc; i--)
                {
                    _pcs[i] = _pcs[i - 1];
                    _byPc[i] = _byPc[i - 1];
                }
                _pcs[i] = blocks[b].StartPc;
                _byPc[i] = entry;
            }
        }

        public bool TryGetValue(ulong pc, out BlockLabel found)
        {
            int lo = 0, hi = _pcs.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                if (_pcs[mid] == pc)
                {
                    found = _byPc[mid];
                    return true;
                }
                if (_pcs[mid] < pc) lo = mid + 1;
                else hi = mid - 1;
            }
            found = default;
            return false;
        }

        public bool ContainsKey(ulong pc) => TryGetValue(pc, out _);

        public BlockLabel this[ulong pc] => TryGetValue(pc, out var found) ? found : throw new KeyNotFoundException();

        /// <summary>The label of the block at position <paramref name="order"/>.</summary>
        public Label OfBlock(int order) => _byOrder[order].Label;
    }

    private sealed partial class BlockEmitter
    {
        /// <summary>Per block: slots that may be newer in their locals than in the context at its start.</summary>
        private bool[][] _mayBeDirty = [];

        /// <summary>Per entry block: the slots loaded into locals when the region is entered there.</summary>
        private bool[][] _entryLoads = [];

        // Shared write-back tails, one per set of slots written back (see EmitRegionExit). Plain arrays and
        // loops here: a generic collection over a new value type costs more host JIT at start-up than it saves.
        private (ulong Low, ulong High)[] _sharedExitKeys = new (ulong, ulong)[16];
        private Label[] _sharedExitLabels = new Label[16];
        private int _sharedExitCount;

        /// <summary>The shared tail writing back <paramref name="key"/>'s slots (created on first use).</summary>
        private Label SharedExit((ulong Low, ulong High) key)
        {
            for (int i = 0; i < _sharedExitCount; i++)
                if (_sharedExitKeys[i] == key) return _sharedExitLabels[i];
            if (_sharedExitCount == _sharedExitKeys.Length)
            {
                Array.Resize(ref _sharedExitKeys, _sharedExitCount * 2);
                Array.Resize(ref _sharedExitLabels, _sharedExitCount * 2);
            }
            _sharedExitKeys[_sharedExitCount] = key;
            return _sharedExitLabels[_sharedExitCount++] = _il.DefineLabel();
        }

        /// <summary>Computes <see cref="_mayBeDirty"/> and <see cref="_entryLoads"/> from the region's blocks and edges.</summary>
        private void AnalyzeRegionSlots()
        {
            int n = _blocks.Count;
            var written = new bool[n][];
            for (int b = 0; b < n; b++)
            {
                written[b] = new bool[StateSlots];
                foreach (var inst in _blocks[b].Insts)
                {
                    int slot = SlotOf(inst);
                    if (slot < 0) continue;
                    if (inst.Op is IrOp.SetReg or IrOp.SetFlags or IrOp.SetSys or IrOp.SetVec) written[b][slot] = true;
                }
            }
            // In-region edges, including the expected targets of indirect branches (a superset of what is taken).
            var successors = new List<int>[n];
            for (int b = 0; b < n; b++)
            {
                successors[b] = [];
                foreach (ulong pc in Successors(b))
                    if (_labels.TryGetValue(pc, out var t)) successors[b].Add(t.Order);
                if (IndirectTargets is { } all && b < all.Count && all[b] is { } targets)
                    foreach (ulong pc in targets)
                        if (_labels.TryGetValue(pc, out var t)) successors[b].Add(t.Order);
            }
            var reach = new bool[n][];
            var stack = new int[n];
            for (int b = 0; b < n; b++)
            {
                reach[b] = new bool[n];
                reach[b][b] = true;
                int depth = 0;
                stack[depth++] = b;
                while (depth > 0)
                    foreach (int s in successors[stack[--depth]])
                        if (!reach[b][s])
                        {
                            reach[b][s] = true;
                            stack[depth++] = s;
                        }
            }
            _mayBeDirty = new bool[n][];
            for (int b = 0; b < n; b++)
            {
                _mayBeDirty[b] = new bool[StateSlots];
                for (int c = 0; c < n; c++)
                    if (reach[c][b]) Union(_mayBeDirty[b], written[c]);
            }
            // An entry loads the slots live there: those some path from it reads, or writes back at an exit or
            // before a context-taking helper, before writing them. A region entered once per call (a function's
            // body) writes most scratch registers before it reads them: loading them too was most of its entry.
            var liveIn = LiveSlots(successors);
            _entryLoads = GroupEntryLoads(liveIn, MultiEntry ? n : 1);
            _loadsStayInLoop = BlocksOnStoreFreeCycles(_blocks, successors);
        }

        // Per region block: its loads are volatile, because it lies on a loop without a guest store (see IlCompiler.BlocksOnStoreFreeCycles).
        private bool[] _loadsStayInLoop = [];

        /// <summary>Distinct entry load sets a region keeps at most (see GroupEntryLoads).</summary>
        private const int MaxEntryLoadSets = 6;

        /// <summary>Extra loads an entry may take on to share another entry's load sequence.</summary>
        private const int SharedLoadSlack = 4;

        /// <summary>
        /// Each entry's loads: its live slots, widened so that entries share load sequences. Every member of a
        /// region is an entry, and a sequence of its own for each would grow a big region's IL by half (RyuJIT's
        /// time, and the IL bound that splits regions); loading a slot that is not live costs one load. An entry
        /// joins the set that costs the fewest extra loads (its own, and those of the set's members) when that is
        /// at most <see cref="SharedLoadSlack"/> or the sets are all taken.
        /// </summary>
        private static bool[][] GroupEntryLoads(bool[][] liveIn, int entries)
        {
            var sets = new bool[MaxEntryLoadSets][];
            var members = new int[MaxEntryLoadSets];
            var groupOf = new int[entries];
            int count = 0;
            for (int e = 0; e < entries; e++)
            {
                int best = -1, bestCost = int.MaxValue;
                for (int g = 0; g < count; g++)
                {
                    int forEntry = 0, forMembers = 0;
                    for (int slot = 0; slot < StateSlots; slot++)
                    {
                        if (sets[g][slot] && !liveIn[e][slot]) forEntry++;
                        if (liveIn[e][slot] && !sets[g][slot]) forMembers += members[g];
                    }
                    if (forEntry + forMembers < bestCost)
                    {
                        best = g;
                        bestCost = forEntry + forMembers;
                    }
                }
                if (best < 0 || (bestCost > SharedLoadSlack && count < MaxEntryLoadSets))
                {
                    best = count++;
                    sets[best] = new bool[StateSlots];
                }
                Union(sets[best], liveIn[e]);
                members[best]++;
                groupOf[e] = best;
            }
            var loads = new bool[entries][];
            for (int e = 0; e < entries; e++) loads[e] = sets[groupOf[e]];
            return loads;
        }

        /// <summary>
        /// Per block, the slots whose locals must hold the guest's value at its start (backward liveness over the
        /// region's edges). A use is a read of the slot, or a write-back of it: at an exit or a context-taking
        /// helper the block writes back every slot a path into it may have written (<see cref="_mayBeDirty"/>),
        /// which must then be the guest's value even on a path that did not write it. SetReg and SetVec write the
        /// whole slot; flags and system registers count as used wherever they are touched (lazy flags and the FP
        /// status are updated in parts).
        /// </summary>
        private bool[][] LiveSlots(List<int>[] successors)
        {
            int n = _blocks.Count;
            var gen = new bool[n][];
            var kill = new bool[n][];
            for (int b = 0; b < n; b++)
            {
                gen[b] = new bool[StateSlots];
                kill[b] = new bool[StateSlots];
                foreach (var inst in _blocks[b].Insts)
                {
                    if (inst.Op == IrOp.Call && inst.Helper!.TakesContext) GenUnkilled(gen[b], kill[b], _mayBeDirty[b]);
                    int slot = SlotOf(inst);
                    if (slot < 0) continue;
                    if (inst.Op is IrOp.SetReg or IrOp.SetVec) kill[b][slot] = true;
                    else if (!kill[b][slot]) gen[b][slot] = true;
                }
                if (MayExit(b)) GenUnkilled(gen[b], kill[b], _mayBeDirty[b]);
            }
            var liveIn = new bool[n][];
            for (int b = 0; b < n; b++) liveIn[b] = (bool[])gen[b].Clone();
            for (bool changed = true; changed;)
            {
                changed = false;
                for (int b = n - 1; b >= 0; b--)
                    foreach (int s in successors[b])
                        for (int slot = 0; slot < StateSlots; slot++)
                            if (liveIn[s][slot] && !kill[b][slot] && !liveIn[b][slot])
                            {
                                liveIn[b][slot] = true;
                                changed = true;
                            }
            }
            return liveIn;
        }

        private static void GenUnkilled(bool[] gen, bool[] kill, bool[] uses)
        {
            for (int slot = 0; slot < gen.Length; slot++)
                if (uses[slot] && !kill[slot]) gen[slot] = true;
        }

        /// <summary>
        /// False only when block <paramref name="b"/> surely stays in the region: its terminator goes forward to
        /// blocks of the region (a back edge may leave for the dispatcher; see EmitGoto).
        /// </summary>
        private bool MayExit(int b)
        {
            var term = _blocks[b].Terminator;
            if (term.Op is not (IrOp.Jump or IrOp.Branch) || InvalidatesCode(b)) return true;
            if (!_labels.TryGetValue(term.Imm, out var taken) || taken.Order <= b) return true;
            return term.Op == IrOp.Branch && (!_labels.TryGetValue(term.Imm2, out var next) || next.Order <= b);
        }

        private static void Union(bool[] into, bool[] from)
        {
            for (int i = 0; i < into.Length; i++) into[i] |= from[i];
        }

        /// <summary>Loads the slots entry <paramref name="entry"/> needs into their locals.</summary>
        private void EmitEntryLoads(int entry)
        {
            for (int slot = 0; slot < StateSlots; slot++)
            {
                if (!_entryLoads[entry][slot]) continue;
                LoadContextField(StateOffset(slot), StateType(slot));
                _il.Emit(OpCodes.Stloc, StateLocal(slot));
            }
        }

        /// <summary>
        /// Region start: a single-entry region loads its entry's slots and falls into block 0. A multi-entry one
        /// switches on the delegate's entry block to the loads of that entry's slots. Loads only one entry needs
        /// go straight on to its block; entries with the same slots share one load sequence, which then
        /// switches again to the block (a second indirect jump on every transfer into the region otherwise).
        /// </summary>
        private void EmitRegionEntries()
        {
            if (!MultiEntry)
            {
                EmitEntryLoads(0);
                return;
            }
            // Entries with the same slots share one load sequence: firstWith[e] is the first entry with e's slots.
            var keys = new (ulong Low, ulong High)[_blocks.Count];
            var firstWith = new int[_blocks.Count];
            var sharers = new int[_blocks.Count];
            var stubs = new Label[_blocks.Count];
            int distinct = 0;
            bool anyShared = false;
            for (int e = 0; e < stubs.Length; e++)
            {
                keys[e] = SlotKey(_entryLoads[e]);
                firstWith[e] = e;
                for (int f = 0; f < e; f++)
                    if (keys[f] == keys[e])
                    {
                        firstWith[e] = f;
                        anyShared = true;
                        break;
                    }
                sharers[firstWith[e]]++;
                if (firstWith[e] == e)
                {
                    stubs[e] = _il.DefineLabel();
                    distinct++;
                }
                else stubs[e] = stubs[firstWith[e]];
            }
            var dispatch = _il.DefineLabel();
            if (distinct > 1)
            {
                _il.Emit(OpCodes.Ldarg_0);
                _il.Emit(OpCodes.Ldfld, EntryField);
                _il.Emit(OpCodes.Switch, stubs);
            }
            // An entry number out of range falls through to entry 0's loads; entry 0's stub goes to block 0
            // either way (directly, or through the second switch's default).
            for (int e = 0; e < stubs.Length; e++)
            {
                if (firstWith[e] != e) continue;
                _il.MarkLabel(stubs[e]);
                EmitEntryLoads(e);
                _il.Emit(OpCodes.Br, sharers[e] == 1 ? _labels[_blocks[e].StartPc].Label : dispatch);
            }
            if (!anyShared) return;
            var blockLabels = new Label[_blocks.Count];
            for (int b = 0; b < blockLabels.Length; b++) blockLabels[b] = _labels[_blocks[b].StartPc].Label;
            _il.MarkLabel(dispatch);
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, EntryField);
            _il.Emit(OpCodes.Switch, blockLabels);
            _il.Emit(OpCodes.Br, _labels[_blocks[0].StartPc].Label);
        }

        private static (ulong Low, ulong High) SlotKey(bool[] slots)
        {
            ulong low = 0, high = 0;
            for (int slot = 0; slot < slots.Length; slot++)
            {
                if (!slots[slot]) continue;
                if (slot < 64) low |= 1UL << slot;
                else high |= 1UL << (slot - 64);
            }
            return (low, high);
        }

        private static bool HasSlot((ulong Low, ulong High) key, int slot) =>
            slot < 64 ? (key.Low >> slot & 1) != 0 : (key.High >> (slot - 64) & 1) != 0;
    }

    /// <summary>
    /// The blocks on some cycle of the region that passes no block with a guest store. RyuJIT hoists a load out of a
    /// loop (or merges it across iterations) only when the loop writes no memory: in such a loop, a guest's spin-wait on
    /// a plain LDR (a relaxed atomic load) would never see another thread's store, so loads there stay volatile. Every
    /// other load is an ordinary one, which RyuJIT may schedule and keep in registers like any other value.
    /// </summary>
    internal static bool[] BlocksOnStoreFreeCycles(IReadOnlyList<IrBlock> blocks, List<int>[] successors)
    {
        int n = blocks.Count;
        var stores = new bool[n];
        for (int b = 0; b < n; b++)
            foreach (var inst in blocks[b].Insts)
                stores[b] |= inst.Op is IrOp.Store or IrOp.StoreVec or IrOp.StoreExclusive or IrOp.StoreExclusivePair;
        var onCycle = new bool[n];
        var seen = new bool[n];
        var stack = new int[n];
        for (int b = 0; b < n; b++)
        {
            if (stores[b]) continue;
            Array.Clear(seen);
            int depth = 0;
            foreach (int s in successors[b])
                if (!stores[s] && !seen[s]) { seen[s] = true; stack[depth++] = s; }
            while (depth > 0 && !seen[b])
                foreach (int s in successors[stack[--depth]])
                    if (!stores[s] && !seen[s]) { seen[s] = true; stack[depth++] = s; }
            onCycle[b] = seen[b];
        }
        return onCycle;
    }
}
