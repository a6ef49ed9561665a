namespace Hv.Memory
{
    /// <summary>
    /// The frame allocator's only way to the hardware: masking interrupts on the calling CPU around
    /// its spin lock. Same members and meaning as Hv.Sched.ISchedPlatform's, so the image's platform
    /// class can implement both; host tests pass null or a fake.
    /// </summary>
    public interface IInterruptMask
    {
        /// <summary>Disables interrupts on this CPU; returns whether they were enabled.</summary>
        bool DisableInterrupts();

        /// <summary>Enables interrupts when <paramref name="enabled"/>, otherwise leaves them off.</summary>
        void RestoreInterrupts(bool enabled);
    }
}
