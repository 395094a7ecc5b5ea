pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Consilium

// The radiologist's re-read: series of the case on the left, the viewports on a dark reading surface.
Page {
    id: page
    property alias reference: session.caseReference
    property string layout: "2x2"
    property int activeViewport: 0
    property bool overlayText: true
    readonly property int columns: layout === "1x1" ? 1 : (layout === "1x3" ? 3 : 2)
    readonly property int rows: layout === "2x2" ? 2 : 1
    // Every series shown is loaded (or failed): what scripted screenshots wait for.
    readonly property bool settled: !session.loading && viewports.count > 0 && viewports.get(0).series !== ""
    signal backRequested()

    background: Rectangle { color: "#101418" }

    ReadingSession { id: session }
    ImagingMeasurements {
        id: measurements
        session: session
    }
    property bool measuring: true  // the measurement panel on the right

    // What each of the (up to four) viewports shows: kind "slice" or "volume", the series, and per kind the
    // orientation and fused PET, or the 3D mode.
    ListModel { id: viewports }

    function applyHanging() {
        const h = session.hanging
        viewports.clear()
        for (let i = 0; i < 4; ++i) {
            const v = i < h.views.length ? h.views[i] : { kind: "slice", series: "", orientation: "axial", fused: "" }
            viewports.append({ kind: v.kind, series: v.series, orientation: v.orientation ?? "axial",
                               fused: v.fused ?? "", mode: v.mode ?? "mip" })
        }
        page.layout = h.layout
    }

    function showSeries(index, seriesUid) {
        const petOnly = session.modality(seriesUid) === "PT"
        viewports.set(index, { kind: "slice", series: seriesUid, orientation: viewports.get(index).orientation,
                               fused: "", mode: petOnly ? "mip" : "vr" })
    }

    Component.onCompleted: applyHanging()
    Connections {
        target: session
        function onSeriesChanged() {
            if (viewports.count === 0 || viewports.get(0).series === "")
                page.applyHanging()
        }
    }

    header: ToolBar {
        Material.background: "#1b2127"
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
            spacing: 6
            ToolButton {
                text: qsTr("‹ Case")
                onClicked: page.StackView.view ? page.StackView.view.pop() : page.backRequested()
            }
            Label {
                text: session.patientText
                color: "white"
                font.weight: Font.DemiBold
                font.pixelSize: Theme.title
                Layout.leftMargin: 8
            }
            Item { Layout.fillWidth: true }
            ToolButton {
                text: qsTr("Measurements")
                checkable: true
                checked: page.measuring
                onToggled: page.measuring = checked
            }
            Label { text: qsTr("Layout"); color: "#aab4be" }
            Repeater {
                model: ["1x1", "1x2", "2x2", "1x3"]
                delegate: ToolButton {
                    required property string modelData
                    text: modelData.replace("x", "×")
                    checkable: true
                    checked: page.layout === modelData
                    onClicked: page.layout = modelData
                }
            }
            ToolButton { text: qsTr("Default hanging"); onClicked: page.applyHanging() }
            ToolButton {
                text: qsTr("Overlay text")
                checkable: true
                checked: page.overlayText
                onClicked: page.overlayText = !page.overlayText
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        SeriesBrowser {
            Layout.preferredWidth: 270
            Layout.fillHeight: true
            session: session
            onSeriesChosen: uid => page.showSeries(page.activeViewport, uid)
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            // Loading: progress and a way out.
            Rectangle {
                visible: session.loading
                Layout.fillWidth: true
                Layout.preferredHeight: 34
                color: "#1b2127"
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 10
                    anchors.rightMargin: 10
                    Label { text: session.loadingText; color: "#d8dee4"; elide: Text.ElideRight; Layout.maximumWidth: 500 }
                    ProgressBar { value: session.loadingProgress; Layout.fillWidth: true }
                    Button { text: qsTr("Cancel"); flat: true; onClicked: session.cancelLoading() }
                }
            }

            Label {
                visible: session.error.length > 0
                text: session.error
                color: "#ff8a80"
                Layout.margins: 10
            }

            GridLayout {
                id: grid
                Layout.fillWidth: true
                Layout.fillHeight: true
                columns: page.columns
                rowSpacing: 2
                columnSpacing: 2
                Repeater {
                    model: viewports
                    delegate: Viewport {
                        required property int index
                        required property string kind
                        required property string series
                        required property string orientation
                        required property string fused
                        required property string mode
                        visible: index < page.columns * page.rows
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        session: session
                        measurements: measurements
                        viewKind: kind
                        seriesUid: series
                        planeOrientation: orientation
                        fusedSeriesUid: fused
                        volumeMode: mode
                        active: page.activeViewport === index
                        overlayText: page.overlayText
                        onActivated: page.activeViewport = index
                        onSeriesDropped: uid => page.showSeries(index, uid)
                        onChangeRequested: change => viewports.set(index, change)
                    }
                }
            }
        }

        MeasurementPanel {
            visible: page.measuring
            measurements: measurements
            Layout.preferredWidth: 300
            Layout.fillHeight: true
        }
    }
}
