using Emu.Cpu;
using Emu.Frontend.Decoder;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>Reads guest instruction words; returns false where the address is not executable.</summary>
public delegate bool InstructionFetcher(ulong address, out uint word);

/// <summary>
/// Decodes guest instructions from a PC up to the first control transfer and builds the block's IR.
/// Thread-safe: the Tier 1 thread rebuilds IR (<see cref="Retranslate"/>) while the guest thread translates.
/// </summary>
public sealed class BlockTranslator
{
    private readonly Arm64Decoder _decoder;
    private readonly InstructionFetcher _fetch;

    // Words of the block being translated, per thread (a block is at most a few hundred instructions).
    [ThreadStatic] private static uint[]? t_words;
    // Ops, block, builder and emitter of transient translations, per thread (one translation per block run).
    [ThreadStatic] private static Transient? t_transient;

    private sealed class Transient
    {
        public readonly IrInstPool Pool = new();
        public readonly IrBlock Block;
        public readonly IrBuilder Builder;
        public readonly ArmEmitter Emitter;

        public Transient()
        {
            Block = new IrBlock(0, Pool.List);
            Builder = new IrBuilder(Block, Pool);
            Emitter = new ArmEmitter(Builder);
        }
    }

    public BlockTranslator(Arm64Decoder decoder, InstructionFetcher fetch)
    {
        _decoder = decoder;
        _fetch = fetch;
    }

    /// <summary>
    /// Translates the block at <paramref name="pc"/>; at most <paramref name="maxInstructions"/> guest instructions.
    /// The block's <see cref="IrBlock.GuestWords"/> are the words it was translated from.
    /// </summary>
    public IrBlock Translate(ulong pc, int maxInstructions = 256) => Translate(pc, maxInstructions, null);

    /// <summary>
    /// Builds the same IR again from the words an earlier <see cref="Translate(ulong, int)"/> with the same
    /// <paramref name="maxInstructions"/> recorded, without reading guest memory (it may have changed since).
    /// </summary>
    public IrBlock Retranslate(ulong pc, uint[] words, int maxInstructions) => Translate(pc, maxInstructions, words);

    private IrBlock Translate(ulong pc, int maxInstructions, uint[]? recorded)
    {
        // A rebuild knows its instruction count: its op list is sized for the ~5 ops an instruction makes, so
        // it does not grow through two or three arrays (Tier 1 rebuilds thousands of blocks' IR).
        var block = recorded != null ? new IrBlock(pc, new List<IrInst>(recorded.Length * 5 + 2)) : new IrBlock(pc);
        var ir = new IrBuilder(block);
        return Translate(pc, maxInstructions, recorded, block, ir, new ArmEmitter(ir));
    }

    /// <summary>
    /// As <see cref="Translate(ulong, int)"/>, but the IR is built from ops reused per thread: it is valid only
    /// until the next transient translation on this thread, so it must not be kept (only prepared, logged or
    /// summarised; the guest words are a copy and may be kept).
    /// </summary>
    public IrBlock TranslateTransient(ulong pc, int maxInstructions = 256)
    {
        var t = t_transient ??= new Transient();
        t.Pool.Reset();
        t.Block.Restart(pc);
        t.Builder.Restart();
        return Translate(pc, maxInstructions, null, t.Block, t.Builder, t.Emitter);
    }

    private IrBlock Translate(ulong pc, int maxInstructions, uint[]? recorded, IrBlock block, IrBuilder ir, ArmEmitter e)
    {
        var words = t_words ??= new uint[64];
        int count = 0;
        while (true)
        {
            ir.CurrentPc = pc;
            e.Pc = pc;
            uint word;
            bool fetched;
            // A recorded block ends where the first translation's fetch failed: past its last word.
            if (recorded != null)
            {
                fetched = count < recorded.Length;
                word = fetched ? recorded[count] : 0;
            }
            else fetched = _fetch(pc, out word);
            if (!fetched)
            {
                ir.Exit(ExitReason.FetchFault, pc);
                break;
            }
            if (count == words.Length)
            {
                Array.Resize(ref words, words.Length * 2);
                t_words = words;
            }
            words[count] = word;
            var enc = _decoder.Decode(word);
            if (enc == null) e.Undefined();
            else enc.Emit(e, word);
            count++;
            pc += 4;
            if (ir.Ended) break;
            if (count >= maxInstructions)
            {
                ir.Jump(pc);
                break;
            }
        }
        block.EndPc = pc;
        block.GuestInstructionCount = count;
        block.GuestWords = recorded ?? words.AsSpan(0, count).ToArray();
        return block;
    }
}
