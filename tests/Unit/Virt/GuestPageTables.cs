using Hv.Virt;
using Xunit;

namespace Hv.Tests.Unit.Virt
{
    /// <summary>Builds 4-level guest page tables inside fake guest RAM (tables come from a bump pool).</summary>
    internal sealed class GuestPageTables
    {
        public const ulong P = 1, W = 2, U = 4, PS = 1UL << 7, XD = 1UL << 63;
        public const ulong Table = P | W | U;

        private readonly GuestMemory _memory;
        private ulong _next;

        public GuestPageTables(GuestMemory memory, ulong pool)
        {
            _memory = memory;
            _next = pool;
            Root = NewTable();
        }

        public ulong Root { get; }

        public ulong NewTable()
        {
            ulong at = _next;
            _next += 0x1000;
            Assert.True(_memory.Zero(at, 0x1000));
            return at;
        }

        public ulong Read(ulong gpa, int size = 8)
        {
            Assert.True(_memory.ReadUInt64(gpa, size, out ulong v));
            return v;
        }

        public void Write(ulong gpa, ulong value, int size = 8)
        {
            byte[] b = new byte[size];
            Bytes.Store(b, value);
            Assert.True(_memory.Write(gpa, b));
        }

        /// <summary>
        /// Maps <paramref name="linear"/> to <paramref name="gpa"/> with a leaf at <paramref name="level"/>
        /// (1: 4 KiB PTE, 2: 2 MiB PDE, 3: 1 GiB PDPTE). Missing tables get <paramref name="tableFlags"/>;
        /// returns the leaf entry's address.
        /// </summary>
        public ulong Map(ulong linear, ulong gpa, ulong flags, int level = 1, ulong tableFlags = Table)
        {
            ulong table = Root;
            for (int l = 4; l > level; l--)
            {
                ulong slot = table + ((linear >> (12 + 9 * (l - 1))) & 511) * 8;
                ulong e = Read(slot);
                if ((e & P) == 0)
                {
                    e = NewTable() | tableFlags;
                    Write(slot, e);
                }
                table = e & 0x000F_FFFF_FFFF_F000;
            }
            ulong leaf = table + ((linear >> (12 + 9 * (level - 1))) & 511) * 8;
            Write(leaf, gpa | flags | (level > 1 ? PS : 0));
            return leaf;
        }

        /// <summary>Sets a 4-level long-mode state on <paramref name="s"/> using these tables.</summary>
        public void LongMode(FakeVcpu s, ulong efer = 0x500)
        {
            s[GuestRegister.Cr0] = (ulong)(Cr0Bits.ProtectionEnable | Cr0Bits.Paging | Cr0Bits.WriteProtect);
            s[GuestRegister.Cr4] = (ulong)Cr4Bits.PhysicalAddressExtension;
            s[GuestRegister.Cr3] = Root;
            s[GuestRegister.Efer] = efer;
            s.LongMode = true;
        }
    }
}
