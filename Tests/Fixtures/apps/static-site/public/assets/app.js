document.title += " (js)";
