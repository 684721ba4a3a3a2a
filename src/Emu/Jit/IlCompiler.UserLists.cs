using Emu.IR;

namespace Emu.Jit;

public static partial class IlCompiler
{
    /// <summary>
    /// Each value's users within the block being analysed (BlockEmitter.BeginBlock), reused from block to block
    /// and compile to compile on one thread: allocated afresh, the lists were about a sixth of all a python
    /// workload allocated (one list per used value of every block of every region).
    /// </summary>
    internal sealed class UserLists
    {
        [ThreadStatic] private static UserLists? t_current;

        private List<IrInst>?[] _byValue = [];
        private readonly List<List<IrInst>> _lists = [];
        private int _next;

        /// <summary>This thread's lists, emptied, with room for <paramref name="values"/> values.</summary>
        public static List<IrInst>?[] Begin(int values, out UserLists lists)
        {
            lists = t_current ??= new UserLists();
            if (lists._byValue.Length < values) lists._byValue = new List<IrInst>?[Math.Max(values, lists._byValue.Length * 2)];
            else Array.Clear(lists._byValue);
            for (int i = 0; i < lists._next; i++) lists._lists[i].Clear();
            lists._next = 0;
            return lists._byValue;
        }

        /// <summary>An empty list for one more value's users.</summary>
        public List<IrInst> Next()
        {
            if (_next == _lists.Count) _lists.Add([]);
            return _lists[_next++];
        }
    }
}
