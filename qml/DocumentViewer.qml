import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Pdf
import Consilium

// A received document read inside the workstation (Qt PDF): the letters and reports are never opened elsewhere.
Rectangle {
    id: viewer
    property var document: null

    color: Theme.surface
    border.color: Theme.border
    radius: Theme.radius

    PdfDocument {
        id: pdf
        source: viewer.document && viewer.document.isPdf ? viewer.document.url : ""
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 1
        spacing: 0
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 44
            color: "#eef2f6"
            radius: Theme.radius
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 12
                anchors.rightMargin: 8
                Label {
                    text: viewer.document ? viewer.document.title : qsTr("No document selected")
                    font.weight: Font.DemiBold
                    color: Theme.text
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    text: pdf.status === PdfDocument.Ready ? qsTr("%n page(s)", "", pdf.pageCount) : ""
                    color: Theme.muted
                }
                ToolButton { text: "−"; enabled: pdf.status === PdfDocument.Ready; onClicked: pages.renderScale = Math.max(0.25, pages.renderScale / 1.25) }
                ToolButton { text: "+"; enabled: pdf.status === PdfDocument.Ready; onClicked: pages.renderScale = Math.min(4, pages.renderScale * 1.25) }
                ToolButton { text: qsTr("Fit width"); enabled: pdf.status === PdfDocument.Ready; onClicked: pages.scaleToWidth(pages.width, pages.height) }
            }
        }
        PdfMultiPageView {
            id: pages
            document: pdf
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: pdf.status === PdfDocument.Ready
            onWidthChanged: if (pdf.status === PdfDocument.Ready) scaleToWidth(width, height)
            Connections {
                target: pdf
                function onStatusChanged() {
                    if (pdf.status === PdfDocument.Ready)
                        pages.scaleToWidth(pages.width, pages.height)
                }
            }
        }
        Label {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: pdf.status !== PdfDocument.Ready
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            wrapMode: Text.WordWrap
            color: pdf.status === PdfDocument.Error ? Theme.danger : Theme.muted
            text: !viewer.document ? qsTr("Select a document to read it here.")
                : !viewer.document.isPdf ? qsTr("%1 is %2, which cannot be shown here.").arg(viewer.document.originalName).arg(viewer.document.mediaType)
                : pdf.status === PdfDocument.Error ? qsTr("%1 could not be opened: %2").arg(viewer.document.originalName).arg(pdf.error)
                : qsTr("Opening…")
        }
    }
}
