// EVENTINJ and EXITINTINFO share one format (AMD APM Vol. 2 §15.20 "Event Injection", §15.7.2):
//   63:32 ERRORCODE | 31 V | 30:12 reserved | 11 EV | 10:8 TYPE | 7:0 VECTOR
namespace Hv.Virt.Svm
{
    public readonly struct SvmEvent
    {
        public const ulong ValidBit = 1ul << 31;
        public const ulong ErrorCodeValidBit = 1ul << 11;

        public SvmEvent(ulong raw) { Raw = raw; }

        public ulong Raw { get; }
        public bool Valid => (Raw & ValidBit) != 0;
        public byte Vector => (byte)Raw;
        /// <summary>TYPE: 0 external interrupt, 2 NMI, 3 exception, 4 software interrupt (EventType's values).</summary>
        public int Type => (int)(Raw >> 8) & 7;
        public bool HasErrorCode => (Raw & ErrorCodeValidBit) != 0;
        public uint ErrorCode => (uint)(Raw >> 32);

        public static SvmEvent Make(EventType type, byte vector, bool hasErrorCode, uint errorCode)
        {
            ulong raw = vector | ((ulong)type << 8) | ValidBit;
            if (hasErrorCode) raw |= ErrorCodeValidBit | ((ulong)errorCode << 32);
            return new SvmEvent(raw);
        }

        /// <summary>
        /// Whether VMRUN accepts this as EVENTINJ (§15.20: a reserved TYPE, or TYPE 3 with a vector
        /// that is not an exception, exits with VMEXIT_INVALID). Exceptions are vectors 0-31 except 2
        /// (the NMI); 31 is refused too, as QEMU's VMRUN does, since no exception uses it.
        /// </summary>
        public bool IsInjectable
        {
            get
            {
                if (!Valid) return true;
                switch (Type)
                {
                    case (int)EventType.ExternalInterrupt:
                    case (int)EventType.Nmi:
                    case (int)EventType.SoftwareInterrupt:
                        return true;
                    case (int)EventType.HardwareException:
                        return Vector != 2 && Vector < 31;
                    default:
                        return false;
                }
            }
        }
    }
}
