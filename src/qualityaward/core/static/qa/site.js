// Behaviour without inline scripts (the Content-Security-Policy forbids them).

// File inputs: the browser draws its own button and "no file chosen" text in the
// browser's language; show a translated button and the chosen file names instead.
const fileTexts = document.body.dataset;
let fileInputCount = 0;

function localiseFileInput(input) {
  if (input.classList.contains("qa-file-input")) {
    return;
  }
  if (!input.id) {
    fileInputCount += 1;
    input.id = `qa-file-${fileInputCount}`;
  }
  const wrapper = document.createElement("div");
  wrapper.className = "qa-file";
  input.before(wrapper);
  wrapper.append(input);
  input.classList.add("qa-file-input");
  const button = document.createElement("label");
  button.className = "btn btn-sm btn-outline-secondary";
  button.htmlFor = input.id;
  button.textContent = fileTexts.fileChoose;
  const chosen = document.createElement("span");
  chosen.className = "qa-file-name small text-secondary";
  chosen.setAttribute("aria-live", "polite");
  chosen.textContent = fileTexts.fileNone;
  wrapper.append(button, chosen);
  input.addEventListener("change", () => {
    chosen.textContent = input.files.length
      ? Array.from(input.files, (file) => file.name).join("、")
      : fileTexts.fileNone;
  });
}

function localiseFileInputs(root) {
  root.querySelectorAll('input[type="file"]').forEach(localiseFileInput);
}

localiseFileInputs(document);
document.addEventListener("htmx:afterSettle", (event) => localiseFileInputs(event.target));
