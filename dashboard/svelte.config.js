// Svelte 5 defaults: runes, TypeScript in <script lang="ts"> without a preprocessor.
export default {};
