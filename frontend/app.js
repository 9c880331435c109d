// Every page: an accessible autocomplete (ARIA 1.2 combobox with a listbox popup)
// for inputs marked data-autocomplete. Without JavaScript the forms still work:
// the server resolves a typed label to the best match.
import { initCombobox } from "./combobox.js";

document.querySelectorAll("input[data-autocomplete]").forEach(initCombobox);
